package dev.parley.client.media.sdp;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One transceiver of the client's offer (RFC 8829 §5.2.1): its mid, kind and direction; a section
 * it sends on has its media SSRC, for video an RTX SSRC (RFC 4588 §8.1), and a track id for
 * {@code a=msid} (RFC 8830 §2). Receive-only sections are slots for others' tracks.
 */
public record LocalSection(String mid, MediaKind kind, Direction direction, OptionalLong ssrc, OptionalLong rtxSsrc,
                           Optional<String> trackId) {

    public LocalSection {
        Objects.requireNonNull(mid, "mid");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(direction, "direction");
        if (direction.sends() && (ssrc.isEmpty() || trackId.isEmpty())) {
            throw new IllegalArgumentException("a sending section needs an SSRC and a track id");
        }
        if (rtxSsrc.isPresent() && kind != MediaKind.VIDEO) {
            throw new IllegalArgumentException("only video has RTX here");
        }
    }

    /** A section the client publishes on. */
    public static LocalSection sending(String mid, MediaKind kind, long ssrc, OptionalLong rtxSsrc, String trackId) {
        return new LocalSection(mid, kind, Direction.SENDONLY, OptionalLong.of(ssrc), rtxSsrc, Optional.of(trackId));
    }

    /** A receive-only slot for another participant's track of {@code kind}. */
    public static LocalSection receiving(String mid, MediaKind kind) {
        return new LocalSection(mid, kind, Direction.RECVONLY, OptionalLong.empty(), OptionalLong.empty(),
                Optional.empty());
    }
}
