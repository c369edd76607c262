package dev.parley.mediarelay.session;

import dev.parley.events.call.ParticipantId;
import dev.parley.media.dtls.DtlsFingerprint;
import dev.parley.media.srtp.SrtpTransformer;
import dev.parley.mediarelay.MediaRelayConfig;
import dev.parley.mediarelay.dtls.DtlsEndpoints;
import dev.parley.mediarelay.ice.IceCredentials;
import dev.parley.mediarelay.rtp.PublishedTrack;
import dev.parley.mediarelay.rtp.Ssrc;
import dev.parley.mediarelay.sdp.CodecSelection;
import dev.parley.mediarelay.sdp.HeaderExtension;
import dev.parley.mediarelay.sdp.HeaderExtensionSelection;
import dev.parley.mediarelay.sdp.MediaSection;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The sessions of this relay, found the two ways the media port needs: by the relay's ICE ufrag
 * before ICE completes (STUN carries it in USERNAME), and by the nominated remote address after;
 * and by room, for the forwarder.
 */
@Singleton
public class SessionRegistry {

    private static final Logger LOG = Logger.getLogger(SessionRegistry.class);

    private final Map<SessionId, Session> byId = new ConcurrentHashMap<>();
    private final Map<String, Session> byLocalUfrag = new ConcurrentHashMap<>();
    private final Map<InetSocketAddress, Session> byAddress = new ConcurrentHashMap<>();
    private final Map<RoomId, Set<Session>> byRoom = new ConcurrentHashMap<>();
    private final Map<ParticipantId, Session> byParticipant = new ConcurrentHashMap<>();
    private long opened;
    private final List<Consumer<Session>> closeListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<Session>> establishedListeners = new CopyOnWriteArrayList<>();
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
     * Thrown when a declared SSRC is already published by another session of the room: without SSRC
     * rewriting, subscribers could not tell the two streams apart (RFC 3550 §8.2).
     */
    public static final class SsrcConflictException extends RuntimeException {
        SsrcConflictException(Ssrc ssrc) {
            super("SSRC " + ssrc + " is already published in this room", null, false, false);
        }
    }

    /** Opens a session that belongs to no room and publishes nothing. */
    public Session open(IceCredentials remoteIce, DtlsFingerprint remoteFingerprint) {
        return open(remoteIce, remoteFingerprint, null, List.of());
    }

    /**
     * What {@link #negotiate} decided: the participant's session, its receiving slots, and the
     * feeds its slots carry that they did not carry before.
     */
    public record Negotiated(Session session, Map<String, Slot> slots, List<Feed> added) {
    }

    /**
     * Opens or renegotiates the session of {@code participant} in {@code room} for an offer with
     * these ICE credentials and fingerprint, publishing {@code tracks} and receiving on the
     * {@code receiving} sections. The same fingerprint renegotiates the open session (the transport
     * stays up); new ICE credentials with it are an ICE restart (RFC 8445 §9), which keeps DTLS and
     * SRTP. Another fingerprint means a new {@code RTCPeerConnection}: the old session is closed and
     * a new one opened. Nothing changes when the tracks conflict.
     */
    public synchronized Negotiated negotiate(RoomId room, ParticipantId participant, IceCredentials remoteIce,
                                             DtlsFingerprint remoteFingerprint, List<PublishedTrack> tracks,
                                             List<MediaSection> receiving) {
        Session session = byParticipant.get(participant);
        if (session != null && !(session.room().orElseThrow().equals(room)
                && session.remoteFingerprint().equals(remoteFingerprint))) {
            // Another certificate: another RTCPeerConnection (a reloaded page), so a new session.
            checkFree(room, session, tracks);
            close(session.id());
            session = null;
        }
        if (session != null && !session.remoteIce().equals(remoteIce)) {
            checkFree(room, session, tracks);
            restartIce(session, remoteIce);
        }
        if (session == null) {
            session = open(remoteIce, remoteFingerprint, room, participant, tracks);
        } else {
            checkFree(room, session, tracks);
            session.republish(tracks);
        }
        session.transportCcId(transportCcId(receiving));
        Map<String, Slot> previous = session.slots();
        Map<String, Slot> slots = SlotPlanner.plan(receiving, previous, liveFeeds(room, session));
        session.assign(slots);
        List<Feed> before = previous.values().stream().flatMap(slot -> slot.feed().stream()).toList();
        List<Feed> added = slots.values().stream().flatMap(slot -> slot.feed().stream())
                .filter(feed -> !before.contains(feed)).toList();
        return new Negotiated(session, slots, added);
    }

    /**
     * What the other sessions of a room publish and a subscriber could receive, publishers in the
     * order they opened, each one's tracks in its order. Sessions without a participant declare
     * tracks without a format, which slots cannot carry.
     */
    private List<Feed> liveFeeds(RoomId room, Session subscriber) {
        return inRoom(room).stream()
                .filter(member -> member != subscriber)
                .sorted(Comparator.comparingLong(Session::openedOrder))
                .flatMap(member -> member.tracks().stream()
                        .filter(track -> track.format().isPresent())
                        .map(track -> new Feed(member, track)))
                .toList();
    }

    /**
     * The transport-wide sequence number extension's id on the sections the relay sends on, when
     * the client also asks for its feedback (draft-holmer-rmcat-transport-wide-cc-extensions-01 §4);
     * 0 otherwise. BUNDLE gives an extension one id across sections (RFC 8843 §9.1).
     */
    private static int transportCcId(List<MediaSection> receiving) {
        for (MediaSection section : receiving) {
            boolean feedback = CodecSelection.select(section).stream()
                    .anyMatch(codec -> codec.rtcpFb().contains("transport-cc"));
            int id = HeaderExtensionSelection.select(section).stream()
                    .filter(extension -> extension.uri().equals(HeaderExtensionSelection.TRANSPORT_WIDE_CC))
                    .mapToInt(HeaderExtension::id).findFirst().orElse(0);
            if (feedback && id > 0) {
                return id;
            }
        }
        return 0;
    }

    /** New relay credentials for an ICE restart: the old ufrag stops answering, the new one starts. */
    private void restartIce(Session session, IceCredentials remoteIce) {
        IceCredentials local;
        do {
            local = IceCredentials.random();
        } while (byLocalUfrag.putIfAbsent(local.ufrag(), session) != null);
        byLocalUfrag.remove(session.localIce().ufrag(), session);
        session.restartIce(local, remoteIce);
    }

    /** The session of a participant of a call, if it has one here. */
    public Optional<Session> byParticipant(ParticipantId participant) {
        return Optional.ofNullable(byParticipant.get(participant));
    }

    /**
     * Opens a session for a client with these ICE credentials and DTLS certificate fingerprint,
     * with fresh relay credentials whose ufrag no other session uses, in {@code room} (may be
     * {@code null}: no room, nothing forwarded) and publishing {@code tracks}.
     */
    public synchronized Session open(IceCredentials remoteIce, DtlsFingerprint remoteFingerprint, RoomId room,
                                     List<PublishedTrack> tracks) {
        return open(remoteIce, remoteFingerprint, room, null, tracks);
    }

    private Session open(IceCredentials remoteIce, DtlsFingerprint remoteFingerprint, RoomId room,
                         ParticipantId participant, List<PublishedTrack> tracks) {
        if (byId.size() >= maxSessions) {
            throw new FullException();
        }
        checkFree(room, null, tracks);
        Session session;
        do {
            session = new Session(SessionId.random(), IceCredentials.random(), remoteIce, remoteFingerprint, room,
                    participant, ++opened, Instant.now());
        } while (byLocalUfrag.putIfAbsent(session.localIce().ufrag(), session) != null);
        Session opened = session;
        opened.attach(dtls.open(remoteFingerprint, opened::nominatedAddress,
                keys -> {
                    opened.established(SrtpTransformer.forDtlsServer(keys));
                    establishedListeners.forEach(listener -> listener.accept(opened));
                },
                () -> {
                    LOG.infof("session %s: the client ended its DTLS association (close_notify or an alert)", opened.id());
                    close(opened.id());
                }));
        opened.republish(tracks);
        byId.put(opened.id(), opened);
        if (participant != null) {
            byParticipant.put(participant, opened);
        }
        if (room != null) {
            byRoom.compute(room, (r, members) -> {
                Set<Session> joined = members == null ? ConcurrentHashMap.newKeySet() : members;
                joined.add(opened);
                return joined;
            });
        }
        return opened;
    }

    /**
     * Opens the stand-in of a participant of {@code room} whose own session is on another relay of
     * the cascaded room ({@code docs/media-relay.md}, "Cascading"): it publishes {@code tracks},
     * which this relay's subscribers' slots carry like a local participant's; their packets arrive
     * over the link, and what this relay sends the stand-in (keyframe requests) goes over the link,
     * protected with {@code link}, to the other relay's media port {@code peer}. It has no ICE or
     * DTLS of its own (no fingerprint), is found neither by ufrag, address nor participant, and
     * counts in its room only, not among the relay's sessions.
     */
    public synchronized Session openLinked(RoomId room, ParticipantId participant, List<PublishedTrack> tracks,
                                           SrtpTransformer link, InetSocketAddress peer) {
        checkFree(room, null, tracks);
        Session linked = new Session(SessionId.random(), IceCredentials.random(), IceCredentials.random(), null, room,
                participant, ++opened, Instant.now());
        linked.established(link);
        linked.nominate(peer);
        linked.republish(tracks);
        byRoom.compute(room, (r, members) -> {
            Set<Session> joined = members == null ? ConcurrentHashMap.newKeySet() : members;
            joined.add(linked);
            return joined;
        });
        return linked;
    }

    /** Replaces what a stand-in from {@link #openLinked} publishes; nothing changes when the tracks conflict. */
    public synchronized void republishLinked(Session linked, List<PublishedTrack> tracks) {
        checkFree(linked.room().orElseThrow(), linked, tracks);
        linked.republish(tracks);
    }

    /** Forgets a stand-in from {@link #openLinked}: its participant left the other relay, or the link closed. */
    public synchronized void closeLinked(Session linked) {
        linked.room().ifPresent(room -> byRoom.computeIfPresent(room, (r, members) -> {
            members.remove(linked);
            return members.isEmpty() ? null : members;
        }));
    }

    /** Adds tracks to what a session publishes (a participant starting its camera or a screen share). */
    public synchronized void publish(Session session, List<PublishedTrack> tracks) {
        checkFree(session.room().orElse(null), session, tracks);
        session.publish(tracks);
    }

    /** The sessions of a room on this relay, {@code session} included. */
    public Set<Session> inRoom(RoomId room) {
        Set<Session> members = byRoom.get(room);
        return members == null ? Set.of() : members;
    }

    private void checkFree(RoomId room, Session publisher, List<PublishedTrack> tracks) {
        Set<Ssrc> declared = new HashSet<>();
        for (PublishedTrack track : tracks) {
            for (Ssrc ssrc : track.ssrcs()) {
                if (!declared.add(ssrc)) {
                    throw new SsrcConflictException(ssrc);
                }
            }
        }
        if (room == null) {
            return;
        }
        for (Session member : inRoom(room)) {
            for (Ssrc ssrc : declared) {
                if (member != publisher && member.publishes(ssrc)) {
                    throw new SsrcConflictException(ssrc);
                }
            }
        }
    }

    /** Every open session. */
    public Collection<Session> all() {
        return byId.values();
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

    /** Calls {@code listener} with each session whose DTLS handshake completed: it can send and receive SRTP now. */
    public void onEstablished(Consumer<Session> listener) {
        establishedListeners.add(listener);
    }

    /** Calls {@code listener} with every session once it is closed and forgotten. */
    public void onClose(Consumer<Session> listener) {
        closeListeners.add(listener);
    }

    /** Closes the session of a participant of a call, if it has one here. */
    public void close(ParticipantId participant) {
        byParticipant(participant).ifPresent(session -> close(session.id()));
    }

    /** Closes every session of a room (its call ended). */
    public void close(RoomId room) {
        inRoom(room).stream().map(Session::id).toList().forEach(this::close);
    }

    /** Forgets a session and ends its DTLS association. */
    public void close(SessionId id) {
        Session session = byId.remove(id);
        if (session == null) {
            return;
        }
        byLocalUfrag.remove(session.localIce().ufrag(), session);
        session.participant().ifPresent(participant -> byParticipant.remove(participant, session));
        session.nominated().ifPresent(address -> byAddress.remove(address, session));
        session.room().ifPresent(room -> byRoom.computeIfPresent(room, (r, members) -> {
            members.remove(session);
            return members.isEmpty() ? null : members;
        }));
        session.close();
        closeListeners.forEach(listener -> listener.accept(session));
    }
}
