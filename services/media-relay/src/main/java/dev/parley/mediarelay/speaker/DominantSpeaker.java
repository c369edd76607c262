package dev.parley.mediarelay.speaker;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Who is speaking in a room, for the active-speaker view: fed the RFC 6464 audio level of every
 * audio packet (about 50 a second per speaker with 20 ms Opus frames), it names one dominant speaker
 * and says when that changes.
 *
 * <p>A simplification of Volfin and Cohen, "Dominant speaker identification for multipoint
 * videoconferencing" (Computer Speech and Language 27(4), 2013), as Jitsi's
 * {@code DominantSpeakerIdentification} applies it to audio levels. The paper scores speech activity
 * on three time scales and lets a challenger replace the dominant speaker only when it leads on
 * all of them; here:
 * <ul>
 *   <li>each frame's activity is how far its level is above {@value #SPEECH_LEVEL} −dBov, scaled to
 *       0..1 (level 0, the loudest, is 1; −{@value #SPEECH_LEVEL} dBov and quieter, including
 *       silence at 127, are 0);</li>
 *   <li>it is averaged over a short time scale ({@value #SHORT_TAU_MILLIS} ms: speaking now) and a
 *       medium one ({@value #MEDIUM_TAU_MILLIS} ms: has been speaking for a while), decaying with
 *       time so that a speaker whose packets stop (DTX) fades out;</li>
 *   <li>with nobody dominant, the first speaker whose medium score reaches {@value #MIN_MEDIUM_SCORE}
 *       becomes dominant;</li>
 *   <li>a challenger replaces the dominant speaker only after leading, without a break, for
 *       {@value #SWITCH_AFTER_MILLIS} ms, where leading means a medium score of at least
 *       {@value #MIN_MEDIUM_SCORE} (it has really been talking) and a short score above
 *       {@value #LEAD_RATIO} times the dominant speaker's (clearly louder now). One loud frame
 *       cannot do that, and neither can silence: the dominant speaker stays dominant while nobody
 *       talks.</li>
 * </ul>
 *
 * <p>The V flag is not used: RFC 6464 §3 makes it optional, a sender that negotiated {@code vad=off}
 * leaves it meaningless, and the level alone is what Jitsi's detector relies on too.
 *
 * <p>Not thread-safe: one room's levels are fed by one thread.
 *
 * @param <K> how the caller names a speaker, e.g. a session or participant id
 */
public final class DominantSpeaker<K> {

    public static final int SPEECH_LEVEL = 70;
    public static final long SHORT_TAU_MILLIS = 150;
    public static final long MEDIUM_TAU_MILLIS = 1000;
    public static final double MIN_MEDIUM_SCORE = 0.1;
    public static final double LEAD_RATIO = 1.5;
    public static final long SWITCH_AFTER_MILLIS = 400;

    private static final long NANOS_PER_MILLI = 1_000_000L;

    private final Map<K, SpeakerActivity> speakers = new HashMap<>();
    private K dominant;

    /**
     * The audio level of one packet of {@code speaker} arrived at {@code nanos} ({@link System#nanoTime()} clock).
     *
     * @return the new dominant speaker, if this sample changed it
     */
    public Optional<K> onLevel(K speaker, AudioLevel level, long nanos) {
        Objects.requireNonNull(speaker, "speaker");
        SpeakerActivity activity = speakers.computeIfAbsent(speaker, key ->
                new SpeakerActivity(SHORT_TAU_MILLIS * NANOS_PER_MILLI, MEDIUM_TAU_MILLIS * NANOS_PER_MILLI));
        activity.add(activity(level), nanos);
        if (speaker.equals(dominant)) {
            return Optional.empty();
        }
        boolean talking = activity.mediumScore(nanos) >= MIN_MEDIUM_SCORE;
        if (dominant == null) {
            return talking ? Optional.of(becomeDominant(speaker)) : Optional.empty();
        }
        double dominantNow = speakers.get(dominant).shortScore(nanos);
        boolean leads = talking && activity.shortScore(nanos) > LEAD_RATIO * dominantNow;
        if (activity.aheadFor(leads, nanos) >= SWITCH_AFTER_MILLIS * NANOS_PER_MILLI) {
            return Optional.of(becomeDominant(speaker));
        }
        return Optional.empty();
    }

    /** The speaker left the room: forgotten, and if dominant, nobody is until someone talks. */
    public void remove(K speaker) {
        speakers.remove(speaker);
        if (Objects.equals(speaker, dominant)) {
            dominant = null;
        }
    }

    /** The current dominant speaker, if anyone has talked since the room began or the last one left. */
    public Optional<K> dominant() {
        return Optional.ofNullable(dominant);
    }

    private K becomeDominant(K speaker) {
        dominant = speaker;
        speakers.values().forEach(SpeakerActivity::resetAhead);
        return speaker;
    }

    /** 0..1: how far the level is above the speech threshold; −dBov, so a smaller level is louder. */
    private static double activity(AudioLevel level) {
        return Math.max(0, SPEECH_LEVEL - level.level()) / (double) SPEECH_LEVEL;
    }
}
