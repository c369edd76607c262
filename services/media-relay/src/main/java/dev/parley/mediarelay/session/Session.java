package dev.parley.mediarelay.session;

import dev.parley.mediarelay.dtls.DtlsEndpoint;
import dev.parley.mediarelay.ice.IceCredentials;
import dev.parley.mediarelay.srtp.SrtpTransformer;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.Optional;

/**
 * One participant's transport on this relay, as one PeerConnection with BUNDLE and rtcp-mux sees it:
 * one ICE username, one nominated address, one DTLS association (which pins the client's certificate
 * fingerprint) and the SRTP keys it yields.
 * Tracks, SSRCs and the SDP that declares them join this model with signaling.
 */
public final class Session {

    private final SessionId id;
    private final IceCredentials localIce;
    private final IceCredentials remoteIce;
    private volatile Instant consentedAt;
    private volatile InetSocketAddress nominated;
    private volatile DtlsEndpoint dtls;
    private volatile SrtpTransformer srtp;

    Session(SessionId id, IceCredentials localIce, IceCredentials remoteIce, Instant openedAt) {
        this.id = id;
        this.localIce = localIce;
        this.remoteIce = remoteIce;
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
