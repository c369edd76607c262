package dev.parley.mediarelay.rtp;

import java.util.Locale;
import java.util.Optional;

/**
 * What a published track shows, as the client labels it in {@code media-offer}'s {@code sources}
 * ({@code docs/protocol.md}): subscribers lay a screen share out differently from a camera.
 */
public enum TrackSource {
    MICROPHONE,
    CAMERA,
    SCREEN;

    /** The source named on the wire ({@code microphone}, {@code camera}, {@code screen}), if it is one. */
    public static Optional<TrackSource> of(String wire) {
        for (TrackSource source : values()) {
            if (source.wire().equals(wire)) {
                return Optional.of(source);
            }
        }
        return Optional.empty();
    }

    /** What a track of this kind shows when the client does not say: its microphone or its camera. */
    public static TrackSource defaultFor(MediaKind kind) {
        return kind == MediaKind.AUDIO ? MICROPHONE : CAMERA;
    }

    /** Whether a track of {@code kind} can show this: audio only from a microphone. */
    public boolean fits(MediaKind kind) {
        return (this == MICROPHONE) == (kind == MediaKind.AUDIO);
    }

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
