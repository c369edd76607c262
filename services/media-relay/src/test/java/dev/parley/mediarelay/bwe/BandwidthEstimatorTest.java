package dev.parley.mediarelay.bwe;

import dev.parley.mediarelay.rtcp.TransportFeedback;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BandwidthEstimatorTest {

    private static final long MS = 1_000_000L;

    /**
     * Sends 1000-byte packets at {@code sendBps} for {@code millis} over a link of {@code linkBps}
     * (a policer: beyond its rate packets are lost), with feedback every 100 ms; returns the time.
     */
    private static long run(BandwidthEstimator estimator, SendHistory history, int[] sequence, long start, long millis,
                            long sendBps, long linkBps) {
        long intervalNanos = 1000 * 8 * 1_000_000_000L / sendBps;
        double linkTokens = 0;
        long now = start;
        long lastFeedback = start;
        int base = sequence[0];
        java.util.List<Long> arrivals = new java.util.ArrayList<>();
        while (now < start + millis * MS) {
            history.sent(sequence[0] & 0xFFFF, 1000, now);
            linkTokens = Math.min(10_000, linkTokens + linkBps / 8e9 * intervalNanos);
            boolean through = linkTokens >= 1000;
            if (through) {
                linkTokens -= 1000;
            }
            arrivals.add(through ? now / 1000 + 20_000 : TransportFeedback.LOST);
            sequence[0]++;
            now += intervalNanos;
            if (now - lastFeedback >= 100 * MS) {
                estimator.onFeedback(history, new TransportFeedback(1, base & 0xFFFF, 0,
                        arrivals.stream().mapToLong(Long::longValue).toArray()), now);
                arrivals.clear();
                base = sequence[0];
                lastFeedback = now;
            }
        }
        return now;
    }

    @Test
    void dropsBelowAConstrainedLinkAndGrowsBackWhenTheConstraintIsLifted() {
        BandwidthEstimator estimator = new BandwidthEstimator(2_000_000, 100_000, 20_000_000);
        SendHistory history = new SendHistory();
        int[] sequence = {0};
        long now = run(estimator, history, sequence, 0, 2000, 1_200_000, 10_000_000);
        assertThat(estimator.estimate()).as("an unconstrained link").isGreaterThanOrEqualTo(2_000_000);
        now = run(estimator, history, sequence, now, 2000, 1_200_000, 250_000);
        assertThat(estimator.estimate()).as("a 250 kbit/s link").isBetween(100_000L, 300_000L);
        assertThat(estimator.loss()).isGreaterThan(0.1);
        run(estimator, history, sequence, now, 12_000, 200_000, 10_000_000);
        assertThat(estimator.estimate()).as("lifted").isGreaterThan(1_500_000);
    }

    @Test
    void aGrowingQueueIsCongestionToo() {
        BandwidthEstimator estimator = new BandwidthEstimator(2_000_000, 100_000, 20_000_000);
        SendHistory history = new SendHistory();
        long now = 0;
        for (int k = 0; k < 200; k++) {
            history.sent(k, 1000, now);
            if (k % 10 == 9) {
                long[] arrivals = new long[10];
                for (int j = 0; j < 10; j++) {
                    int seq = k - 9 + j;
                    arrivals[j] = history.sentNanos(seq) / 1000 + 5000 + (seq < 50 ? 0 : (seq - 50) * 2000L);
                }
                estimator.onFeedback(history, new TransportFeedback(1, k - 9, 0, arrivals), now);
            }
            now += 5 * MS; // sent every 5 ms; from packet 50 on each waits 2 ms longer in a queue
        }
        assertThat(estimator.estimate()).isLessThan(2_000_000);
        assertThat(estimator.loss()).isZero();
    }

    @Test
    void fivePercentLossIsNoCongestion() {
        BandwidthEstimator estimator = new BandwidthEstimator(2_000_000, 100_000, 20_000_000);
        SendHistory history = new SendHistory();
        long now = 0;
        for (int k = 0; k < 2000; k++) {
            history.sent(k & 0xFFFF, 1000, now);
            if (k % 10 == 9) {
                long[] arrivals = new long[10];
                for (int j = 0; j < 10; j++) {
                    int seq = k - 9 + j;
                    arrivals[j] = seq % 20 == 7 ? TransportFeedback.LOST : history.sentNanos(seq) / 1000 + 5000;
                }
                estimator.onFeedback(history, new TransportFeedback(1, k - 9, 0, arrivals), now);
            }
            now += 5 * MS;
        }
        assertThat(estimator.loss()).isCloseTo(0.05, org.assertj.core.data.Offset.offset(0.01));
        assertThat(estimator.estimate()).as("held, not cut").isGreaterThanOrEqualTo(2_000_000);
    }
}
