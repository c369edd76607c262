package dev.parley.mediarelay.bwe;

import dev.parley.mediarelay.rtcp.TransportFeedback;

import org.jboss.logging.Logger;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.function.LongConsumer;

/**
 * What the relay sends one subscriber that negotiated transport-wide congestion control: every RTP
 * packet gets the next transport-wide sequence number
 * (draft-holmer-rmcat-transport-wide-cc-extensions-01 §2) and is remembered until the feedback
 * about it arrives; the {@link BandwidthEstimator} turns that feedback into an estimate.
 *
 * <p>A pacer smooths bursts (a keyframe is many packets at once): packets leave at once while a
 * token bucket filled at {@code pacingFactor} × the estimate (at least 1.5 × the rate there is to
 * send) holds enough for them, and wait in order for the pacer's timer otherwise. Audio and
 * retransmissions wait in a lane of their own that leaves first, as libwebrtc's pacer orders them
 * ahead of video (retransmissions spend a {@link RetransmissionBudget} first): a subscriber that
 * NACKed a packet holds back every frame after it until the retransmission comes, and a keyframe
 * burst in the queue must not add its drain time to that. Each
 * travels on its own SSRC, so it overtakes no packet of its own stream. A test-only limiter can drop
 * what exceeds a set rate after the numbering, as a constrained link would, so the estimator sees
 * real loss.
 *
 * <p>The media thread, the pacer's timer and the RTCP handler share it: synchronized. Packets are
 * protected with SRTP and sent inside the lock, so one session's SRTP context is never used by two
 * threads at once.
 */
public final class SubscriberLink {

    /** Sends one numbered RTP packet (protects and writes it); whether it went out. */
    @FunctionalInterface
    public interface Transmit {
        boolean send(byte[] rtp, int length);
    }

    private static final Logger LOG = Logger.getLogger(SubscriberLink.class);
    private static final int MAX_QUEUED_PACKETS = 1024;
    /** The bucket holds at least this many bytes: a few full packets always leave at once. */
    private static final int MIN_BURST_BYTES = 8 * 1200;
    private static final long BURST_NANOS = 20_000_000L;
    /** A backlog catches up for at most this long a stall of the pacer's timer. */
    private static final long MAX_CATCH_UP_NANOS = 500_000_000L;

    private final int extensionId;
    private final double pacingFactor;
    private final Transmit transmit;
    private final LongConsumer waited;
    private final SendHistory history = new SendHistory();
    private final BandwidthEstimator estimator;
    /** Video, in order. */
    private final Lane queue = new Lane();
    /** Audio and retransmissions: sent before anything in {@link #queue}. */
    private final Lane ahead = new Lane();
    private final EgressLimiter limiter = new EgressLimiter();
    private final RetransmissionBudget retransmissions = new RetransmissionBudget();
    private int nextSequence;
    private double tokens = MIN_BURST_BYTES;
    private long refilled = Long.MIN_VALUE;
    private long queueDrops;
    private double offeredRate;
    private long offeredSince = Long.MIN_VALUE;
    private long offeredBytes;

    SubscriberLink(int extensionId, BandwidthConfig config, Transmit transmit) {
        this(extensionId, config, transmit, nanos -> { });
    }

    /** As above; {@code waited} hears how long, in nanoseconds, each packet that queued waited for the pacer. */
    SubscriberLink(int extensionId, BandwidthConfig config, Transmit transmit, LongConsumer waited) {
        this.extensionId = extensionId;
        this.pacingFactor = config.pacingFactor();
        this.transmit = transmit;
        this.waited = waited;
        this.estimator = new BandwidthEstimator(config.initial(), config.min(), config.max());
    }

    /** Sends video now, or queues it behind what waits; false when the queue is full and the packet is dropped. */
    public boolean send(byte[] rtp, int length, long nowNanos) {
        return send(rtp, length, nowNanos, false);
    }

    /**
     * Sends now, or queues: in the lane that leaves first when {@code first} (audio, a
     * retransmission), else behind the video that waits. False when the queues are full and the
     * packet is dropped. {@code rtp} is the caller's again once this returns: sent now, it is
     * numbered and handed to {@link Transmit} in place; queued, a copy waits (of the whole array,
     * so room the caller left after {@code length} for the SRTP trailer stays).
     */
    public synchronized boolean send(byte[] rtp, int length, long nowNanos, boolean first) {
        offered(length, nowNanos);
        refill(nowNanos);
        boolean waiting = first ? !ahead.isEmpty() : queued();
        if (!waiting && tokens > 0) {
            tokens -= length;
            return transmitNow(rtp, length, nowNanos);
        }
        if (queue.size() + ahead.size() >= MAX_QUEUED_PACKETS) {
            queueDrops++;
            return false;
        }
        (first ? ahead : queue).add(Arrays.copyOf(rtp, rtp.length), length, nowNanos);
        return true;
    }

    /**
     * A retransmission answering the subscriber's NACK: sent as {@link #send(byte[], int, long, boolean)}
     * if it fits the {@link RetransmissionBudget}; false when it does not and is not sent.
     */
    public synchronized boolean resend(byte[] rtp, int length, long nowNanos, boolean first) {
        if (!retransmissions.spend(length, estimator.estimate(), nowNanos)) {
            return false;
        }
        return send(rtp, length, nowNanos, first);
    }

    /** The pacer's timer: sends what the bucket now allows, audio and retransmissions first. */
    synchronized void drain(long nowNanos) {
        refill(nowNanos);
        while (queued() && tokens > 0) {
            Queued next = (ahead.isEmpty() ? queue : ahead).packets.removeFirst();
            tokens -= next.length();
            waited.accept(nowNanos - next.queuedAt());
            transmitNow(next.rtp(), next.length(), nowNanos);
        }
    }

    synchronized boolean queued() {
        return !queue.isEmpty() || !ahead.isEmpty();
    }

    /** What the relay has to send this subscriber, smoothed over about a second, in bytes per nanosecond. */
    private void offered(int length, long nowNanos) {
        if (offeredSince == Long.MIN_VALUE) {
            offeredSince = nowNanos;
        }
        offeredBytes += length;
        long span = nowNanos - offeredSince;
        if (span >= 250_000_000L) {
            double rate = (double) offeredBytes / span;
            offeredRate = offeredRate == 0 ? rate : 0.75 * offeredRate + 0.25 * rate;
            offeredBytes = 0;
            offeredSince = nowNanos;
        }
    }

    /**
     * The pacing rate: {@code pacingFactor} × the estimate, but never under 1.5 × what there is to
     * send. The relay cannot make a stream sent without simulcast smaller: holding it back below
     * its own rate would only queue it into seconds of delay; the selector is what fits the estimate.
     * Idle, the bucket holds at most {@link #BURST_NANOS} of the rate; while packets wait it fills
     * for all the time since the last refill, so a pacer timer that ran late (a busy machine, a GC
     * pause) catches up at once instead of leaving the queue to grow: its rate is per second, not
     * per tick (libwebrtc's pacer likewise keeps up to half a second of budget).
     */
    private void refill(long nowNanos) {
        double rate = Math.max(pacingFactor * estimator.estimate() / 8e9, 1.5 * offeredRate); // bytes per nanosecond
        double burst = Math.max(MIN_BURST_BYTES, rate * BURST_NANOS);
        if (refilled != Long.MIN_VALUE) {
            double filled = tokens + rate * Math.min(MAX_CATCH_UP_NANOS, nowNanos - refilled);
            tokens = queued() ? filled : Math.min(burst, filled);
        }
        refilled = nowNanos;
    }

    private boolean transmitNow(byte[] rtp, int length, long nowNanos) {
        int sequence = nextSequence;
        if (TransportSequence.stamp(rtp, length, extensionId, sequence)) {
            nextSequence = (nextSequence + 1) & 0xFFFF;
            history.sent(sequence, length, nowNanos);
        }
        if (limiter.drops(length, nowNanos)) {
            return true; // lost on the (emulated) link: the relay did send it
        }
        return transmit.send(rtp, length);
    }

    /** Takes the subscriber's feedback about the packets sent. */
    public synchronized void onFeedback(TransportFeedback feedback, long nowNanos) {
        long before = estimator.estimate();
        estimator.onFeedback(history, feedback, nowNanos);
        if (estimator.estimate() < before) {
            // Rare (at most every 300 ms, usually seconds apart) and what an operator asks about when a picture drops.
            LOG.infof("bandwidth estimate %d -> %d bit/s on %s: %s", before, estimator.estimate(), estimator.cause(),
                    describe());
        }
    }

    /** The subscriber's bandwidth estimate, in bit/s. */
    public synchronized long estimate() {
        return estimator.estimate();
    }

    /** What the estimate rests on, for the selector's decisions and the logs. */
    public synchronized String describe() {
        return "estimate=" + estimator.estimate() + " acked=" + estimator.ackedRate() + " loss="
                + String.format("%.3f", estimator.loss()) + " delayRate=" + estimator.delayRate() + " delay="
                + estimator.delaySignal()
                + " queued=" + (queue.size() + ahead.size()) + " queueDrops=" + queueDrops
                + " resendsRefused=" + retransmissions.refused() + " limiterDrops=" + limiter.dropped();
    }

    /** Test only: drop what is sent beyond {@code bitsPerSecond} (0: no limit). */
    public synchronized void limit(long bitsPerSecond) {
        limiter.limit(bitsPerSecond);
    }

    /** A packet waiting for the pacer: its bytes, how many of them to send, and since when it waits. */
    private record Queued(byte[] rtp, int length, long queuedAt) {
    }

    /** One lane of the pacer's queue: packets waiting in order. */
    private static final class Lane {
        final ArrayDeque<Queued> packets = new ArrayDeque<>();

        void add(byte[] rtp, int length, long nowNanos) {
            packets.addLast(new Queued(rtp, length, nowNanos));
        }

        boolean isEmpty() {
            return packets.isEmpty();
        }

        int size() {
            return packets.size();
        }
    }
}
