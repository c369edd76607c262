package dev.parley.mediarelay.session;

import dev.parley.mediarelay.MediaRelayConfig;
import dev.parley.mediarelay.dtls.DtlsEndpoints;
import dev.parley.mediarelay.dtls.DtlsFingerprint;
import dev.parley.mediarelay.ice.IceCredentials;
import dev.parley.mediarelay.srtp.SrtpTransformer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The sessions of this relay, found the two ways the media port needs: by the relay's ICE ufrag
 * before ICE completes (STUN carries it in USERNAME), and by the nominated remote address after.
 */
@Singleton
public class SessionRegistry {

    private final Map<SessionId, Session> byId = new ConcurrentHashMap<>();
    private final Map<String, Session> byLocalUfrag = new ConcurrentHashMap<>();
    private final Map<InetSocketAddress, Session> byAddress = new ConcurrentHashMap<>();
    private final DtlsEndpoints dtls;
    private final int maxSessions;

    SessionRegistry(DtlsEndpoints dtls, MediaRelayConfig config, MeterRegistry meters) {
        this.dtls = dtls;
        this.maxSessions = config.maxSessions();
        Gauge.builder("parley.media.sessions", byId, Map::size)
                .description("Participant transports open on this relay")
                .register(meters);
    }

    /** Thrown when the relay already holds {@link MediaRelayConfig#maxSessions()} sessions. */
    public static final class FullException extends RuntimeException {
        FullException() {
            super("the relay holds its maximum number of sessions", null, false, false);
        }
    }

    /**
     * Opens a session for a client with these ICE credentials and DTLS certificate fingerprint,
     * with fresh relay credentials whose ufrag no other session uses.
     */
    public Session open(IceCredentials remoteIce, DtlsFingerprint remoteFingerprint) {
        if (byId.size() >= maxSessions) {
            throw new FullException();
        }
        Session session;
        do {
            session = new Session(SessionId.random(), IceCredentials.random(), remoteIce, Instant.now());
        } while (byLocalUfrag.putIfAbsent(session.localIce().ufrag(), session) != null);
        Session opened = session;
        opened.attach(dtls.open(remoteFingerprint, opened::nominatedAddress,
                keys -> opened.established(SrtpTransformer.forDtlsServer(keys))));
        byId.put(opened.id(), opened);
        return opened;
    }

    public Optional<Session> byId(SessionId id) {
        return Optional.ofNullable(byId.get(id));
    }

    public Optional<Session> byLocalUfrag(String ufrag) {
        return Optional.ofNullable(byLocalUfrag.get(ufrag));
    }

    public Optional<Session> byAddress(InetSocketAddress address) {
        return Optional.ofNullable(byAddress.get(address));
    }

    /**
     * Records the address the client nominated with USE-CANDIDATE (RFC 8445 §7.3.1.5); later DTLS and
     * SRTP from that address belong to this session. A renomination (e.g. after a network change)
     * moves the session to the new address.
     */
    public void nominate(Session session, InetSocketAddress address) {
        InetSocketAddress previous = session.nominatedAddress();
        if (address.equals(previous)) {
            return;
        }
        Session holder = byAddress.get(address);
        if (holder != null && holder != session) {
            // Another session's address now answers with this session's credentials: it moved away.
            holder.nominate(null);
        }
        byAddress.put(address, session);
        session.nominate(address);
        if (previous != null) {
            byAddress.remove(previous, session);
        }
    }

    /** Closes every session whose last authenticated ICE check is older than {@code cutoff}. */
    public List<SessionId> closeSilentSince(Instant cutoff) {
        List<SessionId> silent = byId.values().stream()
                .filter(session -> session.consentedAt().isBefore(cutoff))
                .map(Session::id)
                .toList();
        silent.forEach(this::close);
        return silent;
    }

    /** Forgets a session and ends its DTLS association. */
    public void close(SessionId id) {
        Session session = byId.remove(id);
        if (session == null) {
            return;
        }
        byLocalUfrag.remove(session.localIce().ufrag(), session);
        session.nominated().ifPresent(address -> byAddress.remove(address, session));
        session.close();
    }
}
