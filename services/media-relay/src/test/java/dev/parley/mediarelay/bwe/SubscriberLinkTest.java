package dev.parley.mediarelay.bwe;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SubscriberLinkTest {

    private static final long MS = 1_000_000L;

    /** The defaults, with the estimate at its floor from the start. */
    private static final BandwidthConfig AT_THE_FLOOR = new BandwidthConfig() {
        public boolean enabled() {
            return true;
        }

        public long initial() {
            return 100_000;
        }

        public long min() {
            return 100_000;
        }

        public long max() {
            return 20_000_000;
        }

        public double pacingFactor() {
            return 2.5;
        }

        public boolean testEgressLimit() {
            return false;
        }
    };

    /**
     * A stream the relay cannot shrink (4 Mbit/s, far above the estimate) to a subscriber, while the
     * pacer's 5-ms timer only gets to run every 50 ms (a busy machine): the pacer must keep up with
     * the stream, not send one burst per tick and let the queue grow into seconds of delay (what froze
     * BrowserLossIT's cameras).
     */
    @Test
    void aLatePacerTimerCatchesUpInsteadOfLettingTheQueueGrow() {
        int[] sent = {0};
        SubscriberLink link = new SubscriberLink(1, AT_THE_FLOOR, (rtp, length) -> {
            sent[0]++;
            return true;
        });
        int offered = 0;
        for (long now = 0; now < 3000 * MS; now += 2 * MS) {
            link.send(new byte[1000], 1000, now);
            offered++;
            if (now % (50 * MS) == 0) {
                link.drain(now);
            }
        }
        assertThat(offered - sent[0]).as("still queued after 3 s").isLessThanOrEqualTo(30);
    }

    /**
     * A keyframe burst fills the pacer's queue; a retransmission (or audio) sent meanwhile leaves at
     * the next drain, before the queued video, which keeps its order.
     */
    @Test
    void audioAndRetransmissionsLeaveBeforeQueuedVideo() {
        java.util.List<Integer> order = new java.util.ArrayList<>();
        SubscriberLink link = new SubscriberLink(1, AT_THE_FLOOR, (rtp, length) -> order.add(rtp[0] & 0xFF));
        for (int k = 0; k < 40; k++) {
            link.send(packet(k), 1000, 0);
        }
        int sentAtOnce = order.size();
        assertThat(sentAtOnce).as("the burst allowance").isBetween(1, 39);
        link.send(packet(200), 100, MS, true);
        link.send(packet(40), 1000, MS);
        link.drain(200 * MS);

        assertThat(order.get(sentAtOnce)).as("first out of the queue").isEqualTo(200);
        assertThat(order.subList(sentAtOnce + 1, order.size())).as("the video, in order")
                .isSorted().doesNotContain(200);
    }

    private static byte[] packet(int mark) {
        byte[] rtp = new byte[1000 + 16];
        rtp[0] = (byte) mark;
        return rtp;
    }

    /**
     * A subscriber NACKing everything (a congested link losing the answers too) gets retransmissions
     * of at most its estimate per second, half a second of it at once: 100 kbit/s is 12,500 bytes a
     * second, so of 4 s of 1000-byte requests every 2 ms about 6 + 50 are answered.
     */
    @Test
    void retransmissionsStayWithinTheEstimate() {
        int[] sent = {0};
        SubscriberLink link = new SubscriberLink(1, AT_THE_FLOOR, (rtp, length) -> {
            sent[0]++;
            return true;
        });
        int answered = 0;
        for (long now = 0; now < 4000 * MS; now += 2 * MS) {
            if (link.resend(new byte[1000], 1000, now, true)) {
                answered++;
            }
            link.drain(now);
        }
        assertThat(answered).isBetween(50, 60);
        assertThat(sent[0]).isEqualTo(answered);
        assertThat(link.describe()).contains("resendsRefused=" + (2000 - answered));
        assertThat(link.send(new byte[1000], 1000, 4000 * MS, false)).as("media is not held to the budget").isTrue();
    }

    /** What could not leave at once reports how long it waited for the pacer; what left at once reports nothing. */
    @Test
    void queuedPacketsReportTheirWait() {
        java.util.List<Long> waits = new java.util.ArrayList<>();
        SubscriberLink link = new SubscriberLink(1, AT_THE_FLOOR, (rtp, length) -> true, waits::add);
        for (int k = 0; k < 40; k++) { // 40 kB at once: the bucket lets about 8 packets through
            link.send(new byte[1000], 1000, 0);
        }
        assertThat(link.queued()).isTrue();
        assertThat(waits).isEmpty();
        for (long now = 5 * MS; link.queued(); now += 5 * MS) {
            link.drain(now);
        }
        assertThat(waits).hasSizeBetween(20, 35).allSatisfy(wait -> assertThat(wait).isPositive());
        assertThat(waits).isSorted();
    }
}
