package dev.parley.mediarelay.rtcp;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** RFC 3550 Appendix A.1, A.3, A.8 and the LSR/DLSR of §6.4.1. */
class ReceptionStatisticsTest {

    private static final long SSRC = 0x1234;
    private static final int CLOCK = 90_000;
    private static final long MS = 1_000_000L;

    private final ReceptionStatistics stats = new ReceptionStatistics(SSRC, CLOCK);

    @Test
    void nothingToReportBeforeTheFirstPacket() {
        assertThat(stats.reportBlock(0)).isEmpty();
    }

    @Test
    void aStreamWithoutLossReportsNoLoss() {
        for (int seq = 10; seq < 60; seq++) {
            stats.onPacket(seq, seq * 3000L, seq * 33 * MS);
        }

        ReportBlock block = stats.reportBlock(2_000 * MS).orElseThrow();

        assertThat(block.ssrc()).isEqualTo(SSRC);
        assertThat(block.fractionLost()).isZero();
        assertThat(block.cumulativeLost()).isZero();
        assertThat(block.extendedHighestSequence()).isEqualTo(59);
    }

    @Test
    void lossIsCumulativeButTheFractionCountsOnlySinceTheLastReport() {
        receive(0, 1, 2, 5, 6, 7);                 // 3 and 4 lost: 2 of 8
        ReportBlock first = stats.reportBlock(0).orElseThrow();
        receive(8, 9, 11, 12);                     // 10 lost: 1 of 5
        ReportBlock second = stats.reportBlock(0).orElseThrow();
        ReportBlock third = stats.reportBlock(0).orElseThrow();

        assertThat(first.cumulativeLost()).isEqualTo(2);
        assertThat(first.fractionLost()).isEqualTo(2 * 256 / 8);
        assertThat(second.cumulativeLost()).isEqualTo(3);
        assertThat(second.fractionLost()).isEqualTo(256 / 5);
        assertThat(third.fractionLost()).as("nothing expected since").isZero();
    }

    @Test
    void sequenceNumbersWrapIntoTheNextCycle() {
        receive(65533, 65534, 65535, 0, 2);

        ReportBlock block = stats.reportBlock(0).orElseThrow();

        assertThat(block.extendedHighestSequence()).isEqualTo(65_536 + 2);
        assertThat(block.cumulativeLost()).isEqualTo(1);
    }

    @Test
    void aReorderedPacketIsNotLost() {
        receive(65534, 1, 0, 2);

        ReportBlock block = stats.reportBlock(0).orElseThrow();

        assertThat(block.cumulativeLost()).isEqualTo(1);
        assertThat(block.extendedHighestSequence()).isEqualTo(65_538);
    }

    @Test
    void duplicatesCountAsReceivedSoLossCanGoNegative() {
        receive(1, 2, 2, 2, 3);

        ReportBlock block = stats.reportBlock(0).orElseThrow();

        assertThat(block.cumulativeLost()).isEqualTo(-2);
        assertThat(block.fractionLost()).isZero();
    }

    @Test
    void aSingleWildJumpIsIgnoredButASecondInSequenceRestartsTheStream() {
        receive(100, 101);
        stats.onPacket(40_000, 0, 0);
        assertThat(stats.reportBlock(0).orElseThrow().extendedHighestSequence()).isEqualTo(101);

        receive(102, 30_000, 30_001, 30_002);

        ReportBlock block = stats.reportBlock(0).orElseThrow();
        assertThat(block.extendedHighestSequence()).isEqualTo(30_002);
        assertThat(block.cumulativeLost()).isZero();
    }

    @Test
    void packetsArrivingExactlyOnTheirTimestampsHaveNoJitter() {
        for (int i = 0; i < 100; i++) {                 // 25 frames a second: 3600 units, 40 ms apart
            stats.onPacket(i, 5_000 + i * 3600L, 1_000_000_000 * MS + i * 40 * MS);
        }

        assertThat(stats.reportBlock(0).orElseThrow().jitter()).isZero();
    }

    @Test
    void jitterConvergesToTheMeanTransitDifference() {
        for (int i = 0; i < 500; i++) {
            long late = i % 2 == 0 ? 0 : 10 * MS;        // every other packet 10 ms = 900 units late
            long rtpTimestamp = (0xFFFF_F000L + i * 3600L) & 0xFFFF_FFFFL;   // wraps at i = 2
            stats.onPacket(i, rtpTimestamp, i * 40 * MS + late);
        }

        assertThat(stats.reportBlock(0).orElseThrow().jitter()).isBetween(890L, 900L);
    }

    @Test
    void echoesTheLastSenderReportAndTheDelaySinceIt() {
        receive(1);
        assertThat(stats.reportBlock(0).orElseThrow().lastSenderReport()).isZero();
        stats.onSenderReport(new SenderReport(SSRC, 0xAAAA_BBBB_CCCC_DDDDL, 0, 0, 0, List.of()), 500 * MS);

        ReportBlock block = stats.reportBlock(2_000 * MS).orElseThrow();

        assertThat(block.lastSenderReport()).isEqualTo(0xBBBB_CCCCL);
        assertThat(block.delaySinceLastSenderReport()).isEqualTo(3 * 65_536 / 2);
        assertThatThrownBy(() -> stats.onSenderReport(new SenderReport(9, 0, 0, 0, 0, List.of()), 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private void receive(int... sequenceNumbers) {
        for (int seq : sequenceNumbers) {
            stats.onPacket(seq, 0, 0);
        }
    }
}
