package dev.parley.mediarelay.transport;

import dev.parley.mediarelay.Timers;
import dev.parley.mediarelay.MediaRelayConfig;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * <b>Test only.</b> Drops a configured share of the SRTP and SRTCP datagrams the relay receives
 * and sends ({@code parley.media-relay.impairment.*}), independently at random, and can delay those
 * it sends by a fixed time, so that loss recovery can be tested end to end where no network
 * emulator (netem) is available. STUN and DTLS pass untouched: the tests are about media, not
 * about connecting. Each drop is counted under {@link DropReason#IMPAIRED_RECEIVE} or
 * {@link DropReason#IMPAIRED_SEND}. Delayed datagrams leave from one timer thread in the order they
 * were sent. Only the send path is delayed: the receive path must stay on the media port's one
 * thread. Off by default; when off, each check is one read of a final field.
 */
@Singleton
public class Impairment {

    private static final Logger LOG = Logger.getLogger(Impairment.class);

    private final double receiveLoss;
    private final double sendLoss;
    private final DroppedPackets dropped;
    private final long sendDelayNanos;
    /** Only when sending is delayed. */
    private final ScheduledExecutorService delayed;

    Impairment(MediaRelayConfig config, DroppedPackets dropped) {
        this.receiveLoss = share(config.impairment().receiveLoss(), "receive-loss");
        this.sendLoss = share(config.impairment().sendLoss(), "send-loss");
        Duration sendDelay = config.impairment().sendDelay();
        if (sendDelay.isNegative()) {
            throw new IllegalArgumentException("parley.media-relay.impairment.send-delay must not be negative: " + sendDelay);
        }
        this.sendDelayNanos = sendDelay.toNanos();
        this.delayed = sendDelay.isZero() ? null : Timers.daemon("impairment-delay");
        this.dropped = dropped;
        if (receiveLoss > 0 || sendLoss > 0 || delayed != null) {
            LOG.warnf("TEST-ONLY impairment on: dropping %.1f%% of received and %.1f%% of sent SRTP/SRTCP datagrams,"
                    + " sending after %d ms", receiveLoss * 100, sendLoss * 100, sendDelay.toMillis());
        }
    }

    /** Whether to drop an SRTP/SRTCP datagram that just arrived; counted if so. */
    public boolean dropsReceived() {
        return receiveLoss > 0 && drop(receiveLoss, DropReason.IMPAIRED_RECEIVE);
    }

    /** Whether to drop an SRTP/SRTCP datagram about to be sent; counted if so. */
    public boolean dropsSent() {
        return sendLoss > 0 && drop(sendLoss, DropReason.IMPAIRED_SEND);
    }

    /** Whether datagrams to send wait for {@link #later}. */
    public boolean delaysSent() {
        return delayed != null;
    }

    /** Runs {@code send} after the configured delay, after every send handed over before it. */
    public void later(Runnable send) {
        delayed.schedule(send, sendDelayNanos, TimeUnit.NANOSECONDS);
    }

    private boolean drop(double share, DropReason reason) {
        if (ThreadLocalRandom.current().nextDouble() >= share) {
            return false;
        }
        dropped.count(reason);
        return true;
    }

    private static double share(double value, String key) {
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException("parley.media-relay.impairment." + key + " must be within 0 and 1: " + value);
        }
        return value;
    }
}
