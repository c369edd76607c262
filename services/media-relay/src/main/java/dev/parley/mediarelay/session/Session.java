package dev.parley.mediarelay.session;

import dev.parley.mediarelay.dtls.DtlsEndpoint;
import dev.parley.mediarelay.ice.IceCredentials;
import dev.parley.mediarelay.rtp.PublishedTrack;
import dev.parley.mediarelay.rtp.Ssrc;
import dev.parley.mediarelay.srtp.SrtpTransformer;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One participant's transport on this relay, as one PeerConnection with BUNDLE and rtcp-mux sees it:
 * one ICE username, one nominated address, one DTLS association (which pins the client's certificate
 * fingerprint) and the SRTP keys it yields.
 * It belongs to one room, and declares the tracks it publishes by SSRC (RFC 3550 §8); the relay
 * forwards only packets whose SSRC a declared track carries: as JSON, or from the offer's
 * {@code a=ssrc} lines (RFC 5576).
 */
public final class Session {

    private final SessionId id;
    private final IceCredentials localIce;
    private final IceCredentials remoteIce;
    private final RoomId room;
    private final Map<Ssrc, PublishedTrack> published = new ConcurrentHashMap<>();
    private volatile Instant consentedAt;
    private volatile InetSocketAddress nominated;
    private volatile DtlsEndpoint dtls;
    private volatile SrtpTransformer srtp;

    Session(SessionId id, IceCredentials localIce, IceCredentials remoteIce, RoomId room, Instant openedAt) {
        this.id = id;
        this.localIce = localIce;
        this.remoteIce = remoteIce;
        this.room = room;
        this.consentedAt = openedAt;
    }

    /**
     * Records an authenticated ICE check: the client still wants media on this session
     * (consent freshness, RFC 7675 §5.1).
     */
    public void consented(Instant at) {
        consentedAt = at;
    }

    Instant consentedAt() {
        return consentedAt;
    }

    public SessionId id() {
        return id;
    }

    /** The room whose other sessions receive what this one publishes, if it joined one. */
    public Optional<RoomId> room() {
        return Optional.ofNullable(room);
    }

    /** Whether a track this session declared carries this SSRC, as media or as RTX. */
    public boolean publishes(Ssrc ssrc) {
        return published.containsKey(ssrc);
    }

    /** The tracks this session declared, one entry per track. */
    public Collection<PublishedTrack> tracks() {
        return published.values().stream().distinct().toList();
    }

    /** Every SSRC this session's declared tracks carry. */
    Collection<Ssrc> publishedSsrcs() {
        return List.copyOf(published.keySet());
    }

    void publish(PublishedTrack track) {
        track.ssrcs().forEach(ssrc -> published.put(ssrc, track));
    }

    /** The relay's ICE credentials for this session, given to the client in the answer. */
    public IceCredentials localIce() {
        return localIce;
    }

    /** The client's ICE credentials from its offer. */
    public IceCredentials remoteIce() {
        return remoteIce;
    }

    /** The address of the candidate pair the client nominated (RFC 8445 §8.1.1), once it has. */
    public Optional<InetSocketAddress> nominated() {
        return Optional.ofNullable(nominated);
    }

    InetSocketAddress nominatedAddress() {
        return nominated;
    }

    void nominate(InetSocketAddress address) {
        nominated = address;
    }

    void attach(DtlsEndpoint endpoint) {
        dtls = endpoint;
    }

    /** Hands a DTLS record to the session's association; {@code false} if it was dropped. */
    public boolean deliverDtls(byte[] record) {
        return dtls.deliver(record);
    }

    void established(SrtpTransformer transformer) {
        srtp = transformer;
    }

    /** The SRTP/SRTCP contexts, once the DTLS handshake has completed. */
    public Optional<SrtpTransformer> srtp() {
        return Optional.ofNullable(srtp);
    }

    void close() {
        dtls.close();
    }
}
