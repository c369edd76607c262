package dev.parley.mediarelay.simulcast;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LayerSwitchTest {

    private static final long MS = 1_000_000L;

    @Test
    void aSimulcastSectionStartsAtAKeyframeOfItsTargetWithItsOwnSsrc() {
        LayerSwitch section = new LayerSwitch(7777, 90_000, 2, true);
        assertThat(section.accept(2, 100, 9000, false, 0)).as("a delta frame cannot start a decoder").isEmpty();
        assertThat(section.accept(0, 500, 1000, true, 0)).as("another stream's keyframe").isEmpty();
        LayerSwitch.Forward first = section.accept(2, 101, 9000, true, 0).orElseThrow();
        assertThat(first.ssrc()).isEqualTo(7777);
        assertThat(section.accept(2, 102, 9000, false, MS).orElseThrow().sequenceNumber())
                .isEqualTo((first.sequenceNumber() + 1) & 0xFFFF);
        assertThat(section.current()).isEqualTo(2);
    }

    @Test
    void aSwitchContinuesSequenceNumbersAndTimestampsAtTheNewStreamsKeyframe() {
        LayerSwitch section = new LayerSwitch(7777, 90_000, 2, true);
        section.accept(2, 60_000, 4_000_000_000L, true, 0);
        LayerSwitch.Forward last = section.accept(2, 60_001, 4_000_000_000L, false, 0).orElseThrow();
        assertThat(section.target(0)).isTrue();
        assertThat(section.awaitedKeyframe()).isZero();
        // Until the low stream's keyframe: the high one goes on, the low one is not sent.
        assertThat(section.accept(0, 10, 123_000, false, 20 * MS)).isEmpty();
        LayerSwitch.Forward goesOn = section.accept(2, 60_002, 4_000_003_000L, false, 33 * MS).orElseThrow();
        assertThat(goesOn.sequenceNumber()).isEqualTo(last.sequenceNumber() + 1);
        LayerSwitch.Forward switched = section.accept(0, 11, 123_000, true, 66 * MS).orElseThrow();
        assertThat(switched.sequenceNumber()).isEqualTo(goesOn.sequenceNumber() + 1);
        assertThat(switched.timestamp() - goesOn.timestamp()).as("33 ms at 90 kHz").isBetween(2900L, 3100L);
        assertThat(section.accept(2, 60_003, 4_000_006_000L, false, 70 * MS)).as("the old stream stops").isEmpty();
        assertThat(section.accept(0, 12, 126_000, false, 99 * MS).orElseThrow().sequenceNumber())
                .isEqualTo(switched.sequenceNumber() + 1);
        assertThat(section.awaitedKeyframe()).isEqualTo(LayerSwitch.PAUSED);
    }

    @Test
    void aNackedSequenceNumberMapsBackToTheStreamAndNumberItCameFrom() {
        LayerSwitch section = new LayerSwitch(1, 90_000, 1, true);
        LayerSwitch.Forward high = section.accept(1, 65_535, 100, true, 0).orElseThrow();
        section.accept(1, 0, 100, false, 0);
        section.target(0);
        LayerSwitch.Forward low = section.accept(0, 40, 5000, true, 10 * MS).orElseThrow();
        LayerSwitch.Origin before = section.origin((high.sequenceNumber() + 1) & 0xFFFF).orElseThrow();
        assertThat(before.layer()).isEqualTo(1);
        assertThat(before.sequenceNumber()).isZero();
        LayerSwitch.Origin after = section.origin(low.sequenceNumber()).orElseThrow();
        assertThat(after.layer()).isZero();
        assertThat(after.sequenceNumber()).isEqualTo(40);
        assertThat((5000 + after.timestampOffset()) & 0xFFFF_FFFFL).isEqualTo(low.timestamp());
        assertThat(section.origin((low.sequenceNumber() + 5) & 0xFFFF)).as("not sent yet").isEmpty();
    }

    @Test
    void aSingleStreamPassesThroughUnchangedUntilPausedAndResumesAtAKeyframeWithoutAGap() {
        LayerSwitch section = new LayerSwitch(4242, 90_000, 0, false);
        LayerSwitch.Forward first = section.accept(0, 500, 90_000, false, 0).orElseThrow();
        assertThat(first).isEqualTo(new LayerSwitch.Forward(4242, 500, 90_000));
        section.target(LayerSwitch.PAUSED);
        assertThat(section.accept(0, 501, 93_000, true, 33 * MS)).isEmpty();
        section.target(0);
        assertThat(section.accept(0, 600, 180_000, false, 1000 * MS)).as("resumes at a keyframe").isEmpty();
        LayerSwitch.Forward resumed = section.accept(0, 601, 183_000, true, 1033 * MS).orElseThrow();
        assertThat(resumed.sequenceNumber()).isEqualTo(501);
        assertThat(resumed.timestamp()).isGreaterThan(90_000);
    }

    @Test
    void aStreamForwardedLongerThanHalfTheSequenceSpaceGoesOnAndItsNacksStillMapBack() {
        LayerSwitch section = new LayerSwitch(4242, 90_000, 0, false);
        int forwarded = 0;
        for (int i = 0; i < 200_000; i++) {
            int sequenceNumber = (65_000 + i) & 0xFFFF;
            if (section.accept(0, sequenceNumber, 90L * i, false, i * MS).isPresent()) {
                forwarded++;
            }
        }
        assertThat(forwarded).as("every packet of a long call, across several wraps").isEqualTo(200_000);
        int last = (65_000 + 199_999) & 0xFFFF;
        assertThat(section.origin((last - 100) & 0xFFFF)).as("a recent packet's NACK")
                .contains(new LayerSwitch.Origin(0, (last - 100) & 0xFFFF, 0));
        assertThat(section.accept(0, (last - 40_000) & 0xFFFF, 0, false, 0)).as("a packet from far back").isEmpty();
    }

    @Test
    void aKeyframeIsAskedForOncePerSecondWhileAwaitedAndASingleStreamAwaitsNoneAtFirst() {
        LayerSwitch simulcast = new LayerSwitch(1, 90_000, 2, true);
        assertThat(simulcast.keyframeDue(0)).isEqualTo(2);
        assertThat(simulcast.keyframeDue(500 * MS)).isEqualTo(LayerSwitch.PAUSED);
        assertThat(simulcast.keyframeDue(1000 * MS)).isEqualTo(2);
        simulcast.accept(2, 1, 0, true, 1100 * MS);
        assertThat(simulcast.keyframeDue(1200 * MS)).as("switched").isEqualTo(LayerSwitch.PAUSED);
        LayerSwitch single = new LayerSwitch(1, 90_000, 0, false);
        assertThat(single.keyframeDue(0)).isEqualTo(LayerSwitch.PAUSED);
        single.accept(0, 1, 0, false, 0);
        single.target(LayerSwitch.PAUSED);
        single.target(0);
        assertThat(single.keyframeDue(10 * MS)).as("resuming after a pause").isZero();
    }
}
