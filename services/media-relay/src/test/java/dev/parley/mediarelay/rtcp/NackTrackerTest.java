package dev.parley.mediarelay.rtcp;

import dev.parley.mediarelay.rtcp.NackTracker.Arrival;
import dev.parley.mediarelay.rtcp.NackTracker.Round;
import dev.parley.mediarelay.rtcp.NackTracker.Settings;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class NackTrackerTest {

    private static final long MS = 1_000_000L;
    /** nanoTime may be negative. */
    private static final long T0 = -7_000 * MS;

    private final NackTracker tracker = new NackTracker(new Settings(3, Duration.ofMillis(800), 50,
            Duration.ofMillis(100), Duration.ofMillis(10), Duration.ofMillis(400)));

    @Test
    void aGapIsAskedForAtTheNextPollAndNotAgainWithinTheRetryInterval() {
        tracker.received(10, T0);
        assertThat(tracker.received(13, T0)).isEqualTo(Arrival.NEW);

        assertThat(tracker.isMissing(11)).isTrue();
        assertThat(tracker.poll(T0 + MS)).isEqualTo(new Round(java.util.List.of(11, 12), 0));
        assertThat(tracker.poll(T0 + 50 * MS)).isEqualTo(Round.NOTHING);
        assertThat(tracker.poll(T0 + 101 * MS).nack()).as("re-asked one (initial) RTT later").containsExactly(11, 12);
    }

    @Test
    void aReorderedPacketArrivingBeforeThePollIsNeverAskedFor() {
        tracker.received(1, T0);
        tracker.received(3, T0);
        assertThat(tracker.received(2, T0 + MS)).isEqualTo(Arrival.FILLED_GAP);

        assertThat(tracker.poll(T0 + 2 * MS)).isEqualTo(Round.NOTHING);
        assertThat(tracker.received(2, T0 + 3 * MS)).as("a duplicate").isEqualTo(Arrival.NOT_MISSING);
    }

    @Test
    void aPacketIsAskedForAtMostMaxNacksTimesThenGivenUp() {
        tracker.received(100, T0);
        tracker.received(102, T0);
        long now = T0;
        int asked = 0;
        int givenUp = 0;
        for (int i = 0; i < 10; i++) {
            Round round = tracker.poll(now);
            asked += round.nack().size();
            givenUp += round.givenUp();
            now += 100 * MS;
        }

        assertThat(asked).isEqualTo(3);
        assertThat(givenUp).isEqualTo(1);
        assertThat(tracker.isMissing(101)).isFalse();
        assertThat(tracker.received(101, now)).as("too late to ask for, not to play").isEqualTo(Arrival.LATE);
        assertThat(tracker.received(101, now)).as("a second copy").isEqualTo(Arrival.NOT_MISSING);
        assertThat(tracker.poll(now)).as("nothing asked for again").isEqualTo(Round.NOTHING);
    }

    @Test
    void onlyTheLastMaxMissingPacketsGivenUpAreRemembered() {
        tracker.received(0, T0);
        for (int k = 1; k <= 60; k++) {
            tracker.received(2 * k, T0); // the odd ones missing
        }
        Round round = tracker.poll(T0 + 801 * MS);
        assertThat(round.givenUp()).as("the 50 tracked given up by age; 10 dropped as the bound was passed")
                .isEqualTo(60);

        assertThat(tracker.received(1, T0 + 802 * MS)).as("the oldest, forgotten").isEqualTo(Arrival.NOT_MISSING);
        assertThat(tracker.received(21, T0 + 802 * MS)).as("the 11th, remembered").isEqualTo(Arrival.LATE);
        assertThat(tracker.received(119, T0 + 802 * MS)).isEqualTo(Arrival.LATE);
    }

    @Test
    void aPacketMissingLongerThanTheMaximumAgeIsGivenUp() {
        NackTracker patient = new NackTracker(new Settings(100, Duration.ofMillis(300), 50,
                Duration.ofMillis(100), Duration.ofMillis(10), Duration.ofMillis(400)));
        patient.received(1, T0);
        patient.received(3, T0);

        assertThat(patient.poll(T0).nack()).containsExactly(2);
        assertThat(patient.poll(T0 + 200 * MS).nack()).containsExactly(2);
        assertThat(patient.poll(T0 + 301 * MS)).isEqualTo(new Round(java.util.List.of(), 1));
    }

    @Test
    void aGapLargerThanTheBoundIsGivenUpWhole() {
        tracker.received(1, T0);
        tracker.received(3, T0);
        tracker.received(3 + 51 + 1, T0);

        Round round = tracker.poll(T0 + MS);
        assertThat(round.nack()).isEmpty();
        assertThat(round.givenUp()).as("the 51 of the gap and the 1 missing before").isEqualTo(52);
        assertThat(tracker.poll(T0 + 2 * MS)).as("counted once").isEqualTo(Round.NOTHING);
    }

    @Test
    void gapsAcrossTheSequenceNumberWrapAreTracked() {
        tracker.received(65_534, T0);
        tracker.received(1, T0);

        assertThat(tracker.poll(T0).nack()).containsExactly(65_535, 0);
        assertThat(tracker.received(0, T0 + 5 * MS)).isEqualTo(Arrival.FILLED_GAP);
        assertThat(tracker.isMissing(65_535)).isTrue();
    }

    @Test
    void theRetryIntervalFollowsTheMeasuredRoundTripWithinItsBounds() {
        assertThat(tracker.retryInterval()).isEqualTo(Duration.ofMillis(100));
        long now = T0;
        int sequence = 0;
        tracker.received(sequence, now);
        for (int i = 0; i < 60; i++) {
            sequence += 2;
            tracker.received(sequence, now);
            tracker.poll(now);
            now += 20 * MS;
            assertThat(tracker.received(sequence - 1, now)).isEqualTo(Arrival.FILLED_GAP);
        }

        assertThat(tracker.retryInterval().toMillis()).as("smoothed towards the 20 ms answers").isBetween(19L, 22L);

        long slow = now;
        for (int i = 0; i < 60; i++) {
            sequence += 2;
            tracker.received(sequence, slow);
            tracker.poll(slow);
            slow += 1_000 * MS;
            tracker.received(sequence - 1, slow);
        }
        assertThat(tracker.retryInterval()).as("capped").isEqualTo(Duration.ofMillis(400));
    }

    @Test
    void aPacketAskedForTwiceGivesNoRoundTripSample() {
        tracker.received(1, T0);
        tracker.received(3, T0);
        tracker.poll(T0);
        tracker.poll(T0 + 100 * MS);

        assertThat(tracker.received(2, T0 + 110 * MS)).isEqualTo(Arrival.FILLED_GAP);
        assertThat(tracker.retryInterval()).as("Karn's rule: unchanged").isEqualTo(Duration.ofMillis(100));
    }
}
