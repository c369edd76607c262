package dev.parley.mediarelay.speaker;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Levels are −dBov: 127 is silence, 0 the loudest (RFC 6464 §3). Frames come every 20 ms. */
class DominantSpeakerTest {

    private static final long FRAME = 20_000_000L;
    private static final int TALKING = 30;
    private static final int SILENT = AudioLevel.SILENCE;

    private final DominantSpeaker<String> room = new DominantSpeaker<>();
    private long now = 1_000_000_000L;

    @Test
    void aSpeakerTalkingAloneBecomesDominantQuickly() {
        Optional<String> changed = Optional.empty();
        int frames = 0;
        while (changed.isEmpty() && frames < 50) {
            changed = frame("alice", TALKING, "bob", SILENT);
            frames++;
        }

        assertThat(changed).contains("alice");
        assertThat(frames * FRAME).isLessThan(500_000_000L);
        assertThat(room.dominant()).contains("alice");
    }

    @Test
    void silenceAndQuietNoiseMakeNobodyDominant() {
        for (int i = 0; i < 250; i++) {
            assertThat(frame("alice", SILENT, "bob", 90)).isEmpty();
        }

        assertThat(room.dominant()).isEmpty();
    }

    @Test
    void oneLoudFrameDoesNotTakeOverFromATalker() {
        talk("alice", TALKING, "bob", SILENT, 100);

        frame("alice", TALKING, "bob", 0);
        Optional<String> after = talk("alice", TALKING, "bob", SILENT, 100);

        assertThat(after).isEmpty();
        assertThat(room.dominant()).contains("alice");
    }

    @Test
    void oneLoudFrameDoesNotTakeOverFromASilentDominantSpeaker() {
        talk("alice", TALKING, "bob", SILENT, 100);
        talk("alice", SILENT, "bob", SILENT, 100);

        frame("alice", SILENT, "bob", 0);
        Optional<String> after = talk("alice", SILENT, "bob", SILENT, 100);

        assertThat(after).isEmpty();
        assertThat(room.dominant()).as("silence never steals it").contains("alice");
    }

    @Test
    void aSustainedNewTalkerTakesOverWithinASecond() {
        talk("alice", TALKING, "bob", SILENT, 150);

        int frames = 0;
        Optional<String> changed = Optional.empty();
        while (changed.isEmpty() && frames < 100) {
            changed = frame("alice", SILENT, "bob", TALKING);
            frames++;
        }

        assertThat(changed).contains("bob");
        assertThat(frames * FRAME).isBetween(300_000_000L, 1_000_000_000L);
    }

    @Test
    void aClearlyLouderTalkerTakesOverFromOneWhoKeepsTalkingButASimilarOneDoesNot() {
        talk("alice", 40, "bob", SILENT, 100);

        assertThat(talk("alice", 40, "bob", 36, 150)).as("about as loud").isEmpty();
        assertThat(talk("alice", 40, "bob", 5, 75)).contains("bob");
    }

    @Test
    void aTalkerWhoseDtxPacketsStopFadesOut() {
        talk("alice", TALKING, "bob", SILENT, 100);

        Optional<String> changed = Optional.empty();
        for (int i = 0; i < 50 && changed.isEmpty(); i++) {
            now += FRAME;
            changed = room.onLevel("bob", new AudioLevel(TALKING, true), now);   // alice sends nothing
        }

        assertThat(changed).contains("bob");
    }

    @Test
    void aRemovedDominantSpeakerIsForgottenAndTheNextTalkerTakesOver() {
        talk("alice", TALKING, "bob", TALKING + 5, 100);
        assertThat(room.dominant()).contains("alice");

        room.remove("alice");
        assertThat(room.dominant()).isEmpty();
        now += FRAME;

        assertThat(room.onLevel("bob", new AudioLevel(TALKING + 5, true), now)).contains("bob");
    }

    @Test
    void theLevelDecidesNotTheOptionalVoiceFlag() {
        Optional<String> changed = Optional.empty();
        for (int i = 0; i < 50 && changed.isEmpty(); i++) {
            now += FRAME;
            changed = room.onLevel("alice", new AudioLevel(TALKING, false), now);
        }

        assertThat(changed).as("a sender with vad=off never sets V").contains("alice");
    }

    /** One 20 ms frame from each of two speakers; the change it caused, if any. */
    private Optional<String> frame(String first, int firstLevel, String second, int secondLevel) {
        now += FRAME;
        Optional<String> a = room.onLevel(first, new AudioLevel(firstLevel, firstLevel < SILENT), now);
        Optional<String> b = room.onLevel(second, new AudioLevel(secondLevel, secondLevel < SILENT), now);
        return b.isPresent() ? b : a;
    }

    /** {@code frames} frames; the last change they caused, if any. */
    private Optional<String> talk(String first, int firstLevel, String second, int secondLevel, int frames) {
        Optional<String> changed = Optional.empty();
        for (int i = 0; i < frames; i++) {
            Optional<String> now = frame(first, firstLevel, second, secondLevel);
            if (now.isPresent()) {
                changed = now;
            }
        }
        return changed;
    }
}
