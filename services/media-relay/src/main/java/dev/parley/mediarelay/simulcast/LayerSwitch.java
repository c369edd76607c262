package dev.parley.mediarelay.simulcast;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/**
 * What one subscriber's section receives of one track: one of its streams at a time (a simulcast
 * layer, or the one stream of a track sent without simulcast), or nothing while paused. Selective
 * forwarding as RFC 7667 §3.7 describes it: the section has one stable SSRC, and each stream the
 * relay switches to continues the sequence numbers and timestamps the subscriber saw last, so the
 * switch looks like nothing but a keyframe to its decoder (RFC 3550 §5.1: sequence numbers
 * increase by one per packet, timestamps by the time between frames).
 *
 * <p>A switch happens only at the first packet of a keyframe of the target stream; until it comes
 * the current stream goes on. The mappings of the last switches are kept so a NACK for a rewritten
 * sequence number finds the stream and number the packet came with (RFC 4585 §6.2.1).
 *
 * <p>Called on the media thread and by the selector and the RTCP handler: synchronized.
 */
public final class LayerSwitch {

    /** How a packet goes out: the section's SSRC, and the sequence number and timestamp it continues with. */
    public record Forward(long ssrc, int sequenceNumber, long timestamp) {
    }

    /** Where a forwarded packet came from: its stream, its own sequence number, and the timestamp offset added. */
    public record Origin(int layer, int sequenceNumber, long timestampOffset) {
    }

    private record Segment(int outStart, int layer, int sequenceOffset, long timestampOffset) {
    }

    /** Mappings kept for NACKs: more switches than happen within the retransmission cache's second. */
    private static final int SEGMENTS = 16;
    public static final int PAUSED = -1;
    /** How far behind the newest packet {@link #reanchor} puts the switch point: a quarter of the sequence space. */
    private static final int REANCHOR = 0x4000;
    /**
     * How far a stream runs past its switch point before {@link #reanchor}: three eighths of the
     * sequence space, still inside the half that reads as "after" (RFC 3550 §A.1). The gap to
     * {@link #REANCHOR} makes a reanchor happen once per 8,192 packets; were the two equal, every
     * packet after the first 16,384 would reanchor (clear the mappings, make a new one) in every
     * subscriber's section.
     */
    private static final int REANCHOR_AFTER = 0x6000;

    private final long ssrc;
    private final int clockRate;
    private final boolean waitsForKeyframe;
    private final Deque<Segment> segments = new ArrayDeque<>();
    private int target;
    private int current = PAUSED;
    private boolean started;
    private int switchedAt;
    private int lastSequence;
    private long lastTimestamp;
    private long lastNanos;
    private long lastAsk = Long.MIN_VALUE;
    static final long ASK_INTERVAL_NANOS = 1_000_000_000L;

    /**
     * A section sending on {@code ssrc} with RTP clock {@code clockRate}, starting at stream
     * {@code target}. {@code simulcast} streams start at a keyframe; a single stream starts at its
     * first packet, unchanged, as the relay always forwarded it (it is resumed after a pause at a keyframe).
     */
    public LayerSwitch(long ssrc, int clockRate, int target, boolean simulcast) {
        this.ssrc = ssrc;
        this.clockRate = clockRate;
        this.target = target;
        this.waitsForKeyframe = simulcast;
    }

    /** The SSRC the section announces and receives on. */
    public long ssrc() {
        return ssrc;
    }

    /** Sets the stream to switch to, or {@link #PAUSED}; true when it changed. Pausing stops at once. */
    public synchronized boolean target(int layer) {
        if (layer == target) {
            return false;
        }
        target = layer;
        lastAsk = Long.MIN_VALUE;
        if (layer == PAUSED) {
            current = PAUSED;
        }
        return true;
    }

    public synchronized int target() {
        return target;
    }

    /** The stream being forwarded, or {@link #PAUSED}. */
    public synchronized int current() {
        return current;
    }

    /**
     * The stream a keyframe is awaited from, or {@link #PAUSED} when none is. A single stream
     * awaits none before its first packet: it starts at any packet, and its subscriber's decoder
     * asks for a keyframe itself.
     */
    public synchronized int awaitedKeyframe() {
        return target != PAUSED && target != current && (waitsForKeyframe || started) ? target : PAUSED;
    }

    /**
     * {@link #awaitedKeyframe()}, at most once per {@link #ASK_INTERVAL_NANOS} while the same wait
     * goes on: the publisher is asked again only if the keyframe did not come (a lost PLI).
     */
    public synchronized int keyframeDue(long nowNanos) {
        int awaited = awaitedKeyframe();
        if (awaited == PAUSED || lastAsk != Long.MIN_VALUE && nowNanos - lastAsk < ASK_INTERVAL_NANOS) {
            return PAUSED;
        }
        lastAsk = nowNanos;
        return awaited;
    }

    /**
     * Decides about one packet of stream {@code layer} with its sequence number and timestamp;
     * {@code keyframeStart} when it is the first packet of a keyframe. Empty: not forwarded.
     */
    public synchronized Optional<Forward> accept(int layer, int sequenceNumber, long timestamp, boolean keyframeStart,
                                                 long nowNanos) {
        if (target == PAUSED) {
            return Optional.empty();
        }
        if (layer == current) {
            if (((sequenceNumber - switchedAt) & 0xFFFF) >= 0x8000) {
                return Optional.empty(); // sent before the keyframe this stream was switched to at
            }
        } else if (layer == target && (keyframeStart || !started && !waitsForKeyframe)) {
            switchTo(layer, sequenceNumber, timestamp, nowNanos);
        } else {
            return Optional.empty();
        }
        Segment segment = segments.peekLast();
        int out = (sequenceNumber + segment.sequenceOffset()) & 0xFFFF;
        long outTimestamp = (timestamp + segment.timestampOffset()) & 0xFFFF_FFFFL;
        if (((sequenceNumber - switchedAt) & 0xFFFF) >= REANCHOR_AFTER) {
            reanchor(segment, sequenceNumber, out);
        }
        if (!started || ((out - lastSequence) & 0xFFFF) < 0x8000) {
            lastSequence = out;
            lastTimestamp = outTimestamp;
            lastNanos = nowNanos;
        }
        started = true;
        return Optional.of(new Forward(ssrc, out, outTimestamp));
    }

    /**
     * Moves the switch point and the current mapping's start to {@link #REANCHOR} packets behind
     * {@code sequenceNumber} (forwarded as {@code out}), once the stream ran {@link #REANCHOR_AFTER}
     * past the switch point. Sequence numbers wrap at 2^16 and are
     * compared within half that space (RFC 3550 §A.1): a stream forwarded for more than 32,768
     * packets without a switch (about 3.5 minutes of 1.5 Mbit/s video) would otherwise look older
     * than its own switch point and stop, and NACKs would no longer find their mapping. Older
     * mappings go: their packets left the retransmission cache long ago.
     */
    private void reanchor(Segment current, int sequenceNumber, int out) {
        switchedAt = (sequenceNumber - REANCHOR) & 0xFFFF;
        segments.clear();
        segments.addLast(new Segment((out - REANCHOR) & 0xFFFF, current.layer(), current.sequenceOffset(),
                current.timestampOffset()));
    }

    private void switchTo(int layer, int sequenceNumber, long timestamp, long nowNanos) {
        int sequenceOffset = 0;
        long timestampOffset = 0;
        if (started) {
            sequenceOffset = (lastSequence + 1 - sequenceNumber) & 0xFFFF;
            long elapsed = Math.max(1, (nowNanos - lastNanos) / 1000 * clockRate / 1_000_000);
            timestampOffset = (lastTimestamp + elapsed - timestamp) & 0xFFFF_FFFFL;
        }
        current = layer;
        switchedAt = sequenceNumber;
        lastAsk = Long.MIN_VALUE;
        segments.addLast(new Segment((sequenceNumber + sequenceOffset) & 0xFFFF, layer, sequenceOffset,
                timestampOffset));
        if (segments.size() > SEGMENTS) {
            segments.removeFirst();
        }
    }

    /** Where the packet forwarded as {@code sequenceNumber} came from, if its mapping is still kept. */
    public synchronized Optional<Origin> origin(int sequenceNumber) {
        if (!started || ((lastSequence - sequenceNumber) & 0xFFFF) >= 0x8000) {
            return Optional.empty();
        }
        var newestFirst = segments.descendingIterator();
        while (newestFirst.hasNext()) {
            Segment segment = newestFirst.next();
            if (((sequenceNumber - segment.outStart()) & 0xFFFF) < 0x8000) {
                return Optional.of(new Origin(segment.layer(), (sequenceNumber - segment.sequenceOffset()) & 0xFFFF,
                        segment.timestampOffset()));
            }
        }
        return Optional.empty();
    }

    /** The offset added to stream {@code layer}'s timestamps while it is forwarded (for its sender reports). */
    public synchronized Optional<Long> timestampOffset(int layer) {
        Segment segment = segments.peekLast();
        return segment != null && layer == current ? Optional.of(segment.timestampOffset()) : Optional.empty();
    }
}
