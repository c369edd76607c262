package dev.parley.mediarelay.transport;

/** Why the relay dropped a datagram; the {@code reason} tag of {@code parley_media_dropped_packets_total}. */
public enum DropReason {
    /** The first byte matches no protocol of the media port (RFC 7983 §7), or the datagram is empty. */
    GARBAGE("garbage"),
    /** Larger than the configured maximum datagram; never parsed. */
    OVERSIZED("oversized"),
    /** Looks like STUN but does not decode, fails its FINGERPRINT, or is no Binding request. */
    STUN_MALFORMED("stun-malformed"),
    /** A Binding request with an unknown username or a wrong MESSAGE-INTEGRITY (RFC 8489 §9.1.3). */
    STUN_UNAUTHORIZED("stun-unauthorized"),
    /** A DTLS record from an address no session has nominated through ICE. */
    DTLS_UNKNOWN_PEER("dtls-unknown-peer"),
    /** A DTLS record for a session whose handshake queue is full or that is already closed. */
    DTLS_BACKLOG("dtls-backlog"),
    /** RTP or RTCP from an address no session has nominated through ICE. */
    RTP_UNKNOWN_PEER("rtp-unknown-peer"),
    /**
     * A copy for one subscriber that cannot be made: the subscriber's section accepted no codec
     * for the packet's payload type, or the packet's header extension block is malformed.
     */
    NOT_FORWARDABLE("not-forwardable"),
    /** RTP whose SSRC belongs to no track the session declared (RFC 3550 §8). */
    RTP_UNKNOWN_SSRC("rtp-unknown-ssrc"),
    /**
     * SRTP that is no valid RTP, arrives before the session's SRTP keys, or fails authentication or
     * the replay check (RFC 3711 §3.3).
     */
    SRTP_INVALID("srtp-invalid"),
    /** SRTCP whose compound packet, once authenticated, breaks RFC 3550 §6.1 / Appendix A.2. */
    RTCP_MALFORMED("rtcp-malformed"),
    /** <b>Test only</b>: an arriving SRTP/SRTCP datagram the configured impairment dropped ({@link Impairment}). */
    IMPAIRED_RECEIVE("impaired-receive"),
    /** <b>Test only</b>: an SRTP/SRTCP datagram the configured impairment dropped instead of sending it. */
    IMPAIRED_SEND("impaired-send"),
    /** A handler threw on the datagram: a relay bug, never the sender's fault; logged at debug. */
    HANDLER_ERROR("handler-error");

    private final String tag;

    DropReason(String tag) {
        this.tag = tag;
    }

    /** The metric tag value. */
    public String tag() {
        return tag;
    }
}
