package dev.parley.mediarelay.session;

import dev.parley.mediarelay.rtp.MediaKind;
import dev.parley.mediarelay.rtp.PublishedTrack;
import dev.parley.mediarelay.rtp.RtpRewrite;
import dev.parley.mediarelay.rtp.SectionFormat;
import dev.parley.mediarelay.sdp.RtpCodec;
import dev.parley.mediarelay.simulcast.LayerSwitch;

import java.util.Optional;

/**
 * A section a subscriber only receives on ({@code recvonly} in its offer): room for one other
 * participant's track of its kind. {@code rewrite} maps the feed's packets onto this section's
 * format, {@code stream} decides which of the track's streams it forwards, with which sequence
 * numbers and timestamps; all three are empty while the slot is inactive.
 */
public record Slot(String mid, MediaKind kind, SectionFormat format, Optional<Feed> feed,
                   Optional<RtpRewrite> rewrite, Optional<LayerSwitch> stream) {

    static Slot inactive(String mid, MediaKind kind, SectionFormat format) {
        return new Slot(mid, kind, format, Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** A slot that starts carrying {@code feed}: a simulcast track from its best stream, the selector decides on. */
    static Slot carrying(String mid, MediaKind kind, SectionFormat format, Feed feed) {
        PublishedTrack track = feed.track();
        LayerSwitch stream = new LayerSwitch(track.ssrc().value(), clockRate(format, kind), track.layers() - 1,
                track.simulcast());
        return new Slot(mid, kind, format, Optional.of(feed),
                Optional.of(RtpRewrite.between(track.format().orElseThrow(), format)), Optional.of(stream));
    }

    /** The same feed on a renegotiated section: the stream goes on where it was. */
    Slot renegotiated(SectionFormat format) {
        Feed carried = feed.orElseThrow();
        return new Slot(mid, kind, format, feed,
                Optional.of(RtpRewrite.between(carried.track().format().orElseThrow(), format)), stream);
    }

    private static int clockRate(SectionFormat format, MediaKind kind) {
        return format.codecs().stream().findFirst().map(RtpCodec::clock)
                .map(clock -> Integer.parseInt(clock.split("/")[0]))
                .orElse(kind == MediaKind.AUDIO ? 48_000 : 90_000);
    }
}
