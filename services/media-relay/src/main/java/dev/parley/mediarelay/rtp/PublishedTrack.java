package dev.parley.mediarelay.rtp;

import java.util.Objects;
import java.util.Optional;

/**
 * One stream a session publishes: its media SSRC, its kind, and optionally the SSRC of its
 * retransmission stream (RTX, RFC 4588 §4), as SDP declares them through {@code a=ssrc} and
 * {@code a=ssrc-group:FID} (RFC 5576 §4.2); simulcast layers will add one
 * track per RID (RFC 8853).
 */
public record PublishedTrack(Ssrc ssrc, MediaKind kind, Optional<Ssrc> rtx) {

    public PublishedTrack {
        Objects.requireNonNull(ssrc, "ssrc");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(rtx, "rtx");
        if (rtx.isPresent() && rtx.get().equals(ssrc)) {
            throw new IllegalArgumentException("the RTX SSRC must differ from the media SSRC");
        }
    }

    /** Every SSRC this track's packets may carry: the media SSRC and the RTX SSRC. */
    public java.util.List<Ssrc> ssrcs() {
        return rtx.map(r -> java.util.List.of(ssrc, r)).orElse(java.util.List.of(ssrc));
    }
}
