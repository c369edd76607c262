package dev.parley.mediarelay.session;

/**
 * How large a client shows a track it receives, in CSS pixels times the device pixel ratio; 0×0
 * when it does not show it at all (hidden tile, off screen), which pauses the track.
 */
public record RenderedSize(int width, int height) {

    public static final int MAX = 16_384;

    public RenderedSize {
        if (width < 0 || height < 0 || width > MAX || height > MAX) {
            throw new IllegalArgumentException("a rendered size is 0 to " + MAX + " pixels each way");
        }
    }

    /** Whether the track is shown at all. */
    public boolean shown() {
        return width > 0 && height > 0;
    }
}
