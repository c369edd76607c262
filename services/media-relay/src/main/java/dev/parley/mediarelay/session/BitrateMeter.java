package dev.parley.mediarelay.session;

/**
 * A stream's bit rate: bytes counted in windows of half a second, smoothed over about two windows,
 * so a keyframe burst does not swing it. Not thread-safe: its owner synchronizes.
 */
final class BitrateMeter {

    private static final long WINDOW_NANOS = 500_000_000L;
    /** Without packets for this long the rate is zero: the stream stopped. */
    private static final long SILENT_NANOS = 2_000_000_000L;

    private long windowStart = Long.MIN_VALUE;
    private long windowBytes;
    private long lastPacket;
    private double rate;

    void add(int bytes, long nowNanos) {
        roll(nowNanos);
        windowBytes += bytes;
        lastPacket = nowNanos;
    }

    long bitsPerSecond(long nowNanos) {
        roll(nowNanos);
        return windowStart == Long.MIN_VALUE || nowNanos - lastPacket > SILENT_NANOS ? 0 : Math.round(rate);
    }

    private void roll(long nowNanos) {
        if (windowStart == Long.MIN_VALUE) {
            windowStart = nowNanos;
            return;
        }
        while (nowNanos - windowStart >= WINDOW_NANOS) {
            double windowRate = windowBytes * 8.0 * 1e9 / WINDOW_NANOS;
            rate = rate == 0 ? windowRate : 0.5 * rate + 0.5 * windowRate;
            windowBytes = 0;
            windowStart += WINDOW_NANOS;
            if (nowNanos - windowStart > 4 * WINDOW_NANOS) {
                windowStart = nowNanos; // long silence: start afresh
                rate = 0;
            }
        }
    }
}
