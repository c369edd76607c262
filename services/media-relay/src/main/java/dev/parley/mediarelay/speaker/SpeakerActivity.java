package dev.parley.mediarelay.speaker;

/**
 * How much one speaker has been speaking lately, on a short and a medium time scale: two
 * exponentially decaying averages of per-frame activity. Averages decay with time, not with the
 * number of samples, so a sender that stops sending in silence (Opus DTX, RFC 7587 §3.1.3) fades out
 * like one that sends silent frames.
 */
final class SpeakerActivity {

    /** The first frame of a speaker, and an upper bound on a frame after a gap (Opus frames are at most 60 ms). */
    private static final long FIRST_FRAME_NANOS = 20_000_000L;
    private static final long MAX_FRAME_NANOS = 60_000_000L;

    private final double shortTauNanos;
    private final double mediumTauNanos;
    private double shortScore;
    private double mediumScore;
    private long lastNanos;
    private boolean started;
    private long aheadSinceNanos;
    private boolean ahead;

    SpeakerActivity(long shortTauNanos, long mediumTauNanos) {
        this.shortTauNanos = shortTauNanos;
        this.mediumTauNanos = mediumTauNanos;
    }

    /** A frame of activity 0..1 ended at {@code nanos}. */
    void add(double activity, long nanos) {
        long frame = started ? Math.min(Math.max(0, nanos - lastNanos), MAX_FRAME_NANOS) : FIRST_FRAME_NANOS;
        shortScore = shortScore(nanos) + activity * (1 - Math.exp(-frame / shortTauNanos));
        mediumScore = mediumScore(nanos) + activity * (1 - Math.exp(-frame / mediumTauNanos));
        lastNanos = started ? Math.max(lastNanos, nanos) : nanos;
        started = true;
    }

    /** The short-scale average as of {@code nanos}: what the speaker is doing right now. */
    double shortScore(long nanos) {
        return decayed(shortScore, shortTauNanos, nanos);
    }

    /** The medium-scale average as of {@code nanos}: whether the speaker has been talking for a while. */
    double mediumScore(long nanos) {
        return decayed(mediumScore, mediumTauNanos, nanos);
    }

    /**
     * Records whether the speaker out-talks the dominant one at {@code nanos}; returns for how long it
     * has done so without a break, 0 if it does not now.
     */
    long aheadFor(boolean aheadNow, long nanos) {
        if (aheadNow && !ahead) {
            aheadSinceNanos = nanos;
        }
        ahead = aheadNow;
        return ahead ? nanos - aheadSinceNanos : 0;
    }

    void resetAhead() {
        ahead = false;
    }

    private double decayed(double score, double tauNanos, long nanos) {
        return started ? score * Math.exp(-Math.max(0, nanos - lastNanos) / tauNanos) : 0;
    }
}
