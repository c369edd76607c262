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
}
