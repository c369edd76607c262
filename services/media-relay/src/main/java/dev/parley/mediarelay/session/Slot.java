package dev.parley.mediarelay.session;

import dev.parley.mediarelay.rtp.MediaKind;
import dev.parley.mediarelay.rtp.RtpRewrite;
import dev.parley.mediarelay.rtp.SectionFormat;

import java.util.Optional;

/**
 * A section a subscriber only receives on ({@code recvonly} in its offer): room for one other
 * participant's track of its kind. {@code rewrite} maps the feed's packets onto this section's
 * format; both are empty while the slot is inactive.
 */
public record Slot(String mid, MediaKind kind, SectionFormat format, Optional<Feed> feed,
                   Optional<RtpRewrite> rewrite) {

    static Slot inactive(String mid, MediaKind kind, SectionFormat format) {
        return new Slot(mid, kind, format, Optional.empty(), Optional.empty());
    }

    static Slot carrying(String mid, MediaKind kind, SectionFormat format, Feed feed) {
        return new Slot(mid, kind, format, Optional.of(feed),
                Optional.of(RtpRewrite.between(feed.track().format().orElseThrow(), format)));
    }
}
