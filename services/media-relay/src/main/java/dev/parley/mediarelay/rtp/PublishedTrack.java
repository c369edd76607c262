package dev.parley.mediarelay.rtp;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One track a session publishes: its id (the mid of the section that sends it), its media SSRC,
 * kind and source, optionally the SSRC of its retransmission stream (RTX, RFC 4588 §4), as SDP
 * declares them through {@code a=ssrc} and {@code a=ssrc-group:FID} (RFC 5576 §4.2), and the
 * format its section negotiated (absent for sessions opened from JSON, whose packets are forwarded
 * unchanged).
 *
 * <p>A simulcast track (RFC 8853) lists its streams' RIDs ({@code rids}, RFC 8851), lowest first as
 * the client ordered them; their SSRCs are not signalled but learned from the RID header extension
 * (RFC 8852 §3). Its {@code ssrc} and {@code rtx} are then the relay's own, chosen at random
 * (RFC 3550 §8.1): the stable SSRCs every subscriber's section announces and receives the track on,
 * whichever stream the relay forwards (RFC 7667 §3.7).
 */
public record PublishedTrack(String trackId, Ssrc ssrc, MediaKind kind, Optional<Ssrc> rtx, TrackSource source,
                             Optional<SectionFormat> format, List<String> rids) {

    public PublishedTrack {
        Objects.requireNonNull(trackId, "trackId");
        Objects.requireNonNull(ssrc, "ssrc");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(rtx, "rtx");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(format, "format");
        rids = List.copyOf(rids);
        if (rtx.isPresent() && rtx.get().equals(ssrc)) {
            throw new IllegalArgumentException("the RTX SSRC must differ from the media SSRC");
        }
        if (!source.fits(kind)) {
            throw new IllegalArgumentException("a " + kind.name().toLowerCase() + " track cannot show a " + source.wire());
        }
    }

    /** A track sent as one stream, not simulcast. */
    public PublishedTrack(String trackId, Ssrc ssrc, MediaKind kind, Optional<Ssrc> rtx, TrackSource source,
                          Optional<SectionFormat> format) {
        this(trackId, ssrc, kind, rtx, source, format, List.of());
    }

    /** Whether the track is sent as several simulcast streams. */
    public boolean simulcast() {
        return !rids.isEmpty();
    }

    /**
     * Whether this simulcast track, offered again, is {@code previous} unchanged but for the SSRCs the
     * relay picks for each offer: then it keeps {@code previous}'s.
     */
    public boolean continues(PublishedTrack previous) {
        return simulcast() && trackId.equals(previous.trackId) && kind == previous.kind && source == previous.source
                && format.equals(previous.format) && rids.equals(previous.rids);
    }

    /** How many streams carry the track: one per RID, or one. */
    public int layers() {
        return simulcast() ? rids.size() : 1;
    }

    /** A track declared as JSON: named by its SSRC, of its kind's default source, format unknown. */
    public PublishedTrack(Ssrc ssrc, MediaKind kind, Optional<Ssrc> rtx) {
        this(Long.toString(ssrc.value()), ssrc, kind, rtx, TrackSource.defaultFor(kind), Optional.empty());
    }

    /**
     * Every SSRC declared for this track: the media SSRC and the RTX SSRC (for a simulcast track the
     * relay's own; its streams' SSRCs are learned, {@code Session#learn}).
     */
    public List<Ssrc> ssrcs() {
        return rtx.map(r -> List.of(ssrc, r)).orElse(List.of(ssrc));
    }
}
