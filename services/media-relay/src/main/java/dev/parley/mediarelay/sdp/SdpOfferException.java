package dev.parley.mediarelay.sdp;

/**
 * An SDP offer the relay cannot answer, with the reason as a value so callers can map it to a
 * response without parsing messages.
 */
public final class SdpOfferException extends RuntimeException {

    /** Why an offer was refused. */
    public enum Reason {
        /** Not SDP as RFC 8866 §5 writes it: bad line syntax, missing {@code v=0}, a bad m-line. */
        MALFORMED,
        /** No {@code a=group:BUNDLE} covering every media section (RFC 8843 §7.1). */
        NO_BUNDLE,
        /** A media section without {@code a=rtcp-mux} (RFC 5761 §5.1.3, required by RFC 8829 §5.2.1). */
        NO_RTCP_MUX,
        /** No {@code a=fingerprint:sha-256} (RFC 8122 §5, RFC 8827 §6.5). */
        NO_FINGERPRINT,
        /** No valid {@code a=ice-ufrag} and {@code a=ice-pwd} (RFC 8839 §5.4). */
        NO_ICE_CREDENTIALS,
        /** An audio section without Opus or a video section without VP8 (RFC 7874 §3, RFC 7742 §5). */
        NO_COMMON_CODEC,
        /**
         * A sending section with no {@code a=ssrc}, or with more than one media SSRC (legacy
         * simulcast): the relay tells tracks apart by SSRC (RFC 3550 §8) and takes one per section.
         */
        UNSUPPORTED_TRACK,
        /** A {@code sources} entry for a mid the offer does not send on, or a source its kind cannot show. */
        BAD_SOURCE
    }

    private final Reason reason;

    public SdpOfferException(Reason reason, String detail) {
        super(detail, null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
