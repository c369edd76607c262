package dev.parley.client.media;

/** How the synthetic camera sends: bitrate, frame rate, and a key frame every so many seconds. */
public record VideoSettings(int bitsPerSecond, int fps, int keyFrameSeconds) {

    /** 1.5 Mbit/s at 30 frames a second, a key frame every 3 s: a 720p camera. */
    public static final VideoSettings DEFAULT = new VideoSettings(1_500_000, 30, 3);

    public VideoSettings {
        if (bitsPerSecond <= 0 || fps <= 0 || keyFrameSeconds <= 0) {
            throw new IllegalArgumentException("bitrate, fps and key frame interval must be positive");
        }
    }
}
