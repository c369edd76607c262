package dev.parley.signaling.media;

/**
 * How large a client renders one track it receives, in device pixels; 0×0 when it does not show
 * it (the relay then pauses it). Carried by {@code media-layout} (docs/protocol.md).
 */
public record TrackLayout(int width, int height) {

    public static final int MAX = 16_384;

    public TrackLayout {
        if (width < 0 || height < 0 || width > MAX || height > MAX) {
            throw new IllegalArgumentException("width and height are 0 to " + MAX);
        }
    }
}
