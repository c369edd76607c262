package dev.parley.mediarelay.rtp;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One track a session publishes: its id (the mid of the section that sends it), its media SSRC,
 * kind and source, optionally the SSRC of its retransmission stream (RTX, RFC 4588 §4), as SDP
 * declares them through {@code a=ssrc} and {@code a=ssrc-group:FID} (RFC 5576 §4.2), and the
 * format its section negotiated (absent for sessions opened from JSON, whose packets are forwarded
 * unchanged). Simulcast layers will add one SSRC per RID (RFC 8853).
 */
public record PublishedTrack(String trackId, Ssrc ssrc, MediaKind kind, Optional<Ssrc> rtx, TrackSource source,
                             Optional<SectionFormat> format) {

    public PublishedTrack {
        Objects.requireNonNull(trackId, "trackId");
        Objects.requireNonNull(ssrc, "ssrc");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(rtx, "rtx");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(format, "format");
        if (rtx.isPresent() && rtx.get().equals(ssrc)) {
            throw new IllegalArgumentException("the RTX SSRC must differ from the media SSRC");
        }
        if (!source.fits(kind)) {
            throw new IllegalArgumentException("a " + kind.name().toLowerCase() + " track cannot show a " + source.wire());
        }
    }

    /** A track declared as JSON: named by its SSRC, of its kind's default source, format unknown. */
    public PublishedTrack(Ssrc ssrc, MediaKind kind, Optional<Ssrc> rtx) {
        this(Long.toString(ssrc.value()), ssrc, kind, rtx, TrackSource.defaultFor(kind), Optional.empty());
    }

    /** Every SSRC this track's packets may carry: the media SSRC and the RTX SSRC. */
    public List<Ssrc> ssrcs() {
        return rtx.map(r -> List.of(ssrc, r)).orElse(List.of(ssrc));
    }
}
