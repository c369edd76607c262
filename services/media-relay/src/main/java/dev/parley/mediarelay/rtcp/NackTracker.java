package dev.parley.mediarelay.rtcp;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The relay as the receiver of a publisher's video stream asking for what it lost, with generic
 * NACKs (RFC 4585 §6.2.1) answered by retransmissions (RFC 4588): which sequence numbers are
 * missing, when to ask for each (again), and when to give up on it.
 *
 * <ul>
 *   <li>A gap in sequence numbers (extended across the 16-bit wrap, RFC 3550 Appendix A.1) makes
 *       its packets missing. A packet that arrives behind the highest fills its gap: reordering is
 *       tolerated because a missing packet is first asked for at the next {@link #poll}, not on
 *       arrival, and a late arrival before that costs nothing.</li>
 *   <li>Each missing packet is asked for at most {@code maxNacks} times, a retry interval apart:
 *       the round-trip time, as a NACK answered sooner than that cannot be told from one lost
 *       (RFC 4585 §3.4 leaves the timing to the receiver; WebRTC's receivers re-ask after one RTT
 *       too). The RTT is learned from the answers: the time from a packet's only NACK to its
 *       retransmission (Karn's rule: a packet asked for twice gives no sample), smoothed as TCP
 *       does (RFC 6298 §2, gain 1/8) and kept within {@code [minRetryInterval, maxRetryInterval]}.</li>
 *   <li>A packet missing for longer than {@code maxAge}, or still missing one interval after its
 *       last NACK, is given up: too late to play. So is a gap of more than {@code maxMissing}
 *       packets (a long outage or a sender restart), at once: asking for hundreds of packets would
 *       cost more than the keyframe the caller asks for instead.</li>
 *   <li>Giving up stops the asking, not the taking: the last {@code maxMissing} packets given up
 *       one by one are remembered, and one that still arrives is {@link Arrival#LATE}, to be
 *       played. A browser with a low bandwidth estimate paces its retransmissions behind its
 *       media and limits their rate (libwebrtc's retransmission rate limiter), and one answered
 *       1.1 s after the first NACK was seen while the subscribers were still asking for it; refused,
 *       their decoders waited for a keyframe instead.</li>
 * </ul>
 * Clocks are {@link System#nanoTime()} values passed in. Not thread-safe: one stream, one lock.
 */
public final class NackTracker {

    private static final int SEQ_MOD = 1 << 16;

    /**
     * How the tracker asks.
     *
     * @param maxNacks         how often one packet is asked for at most
     * @param maxAge           how long a packet stays worth asking for
     * @param maxMissing       the most packets missing at once; a larger gap is given up whole
     * @param initialRtt       the retry interval before the first RTT sample
     * @param minRetryInterval the shortest retry interval, however short the RTT
     * @param maxRetryInterval the longest retry interval, however long the RTT
     */
    public record Settings(int maxNacks, Duration maxAge, int maxMissing, Duration initialRtt,
                           Duration minRetryInterval, Duration maxRetryInterval) {

        /** WebRTC-like values: 10 asks within 1 s, 100 ms until measured, 10–500 ms apart. */
        public static final Settings DEFAULT = new Settings(10, Duration.ofSeconds(1), 500,
                Duration.ofMillis(100), Duration.ofMillis(10), Duration.ofMillis(500));

        public Settings {
            if (maxNacks < 1 || maxMissing < 1) {
                throw new IllegalArgumentException("maxNacks and maxMissing must be positive");
            }
            if (maxAge.isNegative() || maxAge.isZero() || minRetryInterval.isNegative()
                    || minRetryInterval.compareTo(maxRetryInterval) > 0) {
                throw new IllegalArgumentException("bad durations: " + maxAge + ", " + minRetryInterval + ".."
                        + maxRetryInterval);
            }
        }
    }

    /** What one packet's arrival was. */
    public enum Arrival {
        /** The newest so far, with or without a gap before it. */
        NEW,
        /** Behind the newest, filling a gap: reordered, or the answer to a NACK. */
        FILLED_GAP,
        /** Behind the newest, filling a gap given up on already: too late to ask for, not to play. */
        LATE,
        /** Not missing: a duplicate, or a packet given up on so long ago it is forgotten. */
        NOT_MISSING,
    }

    /**
     * What {@link #poll} found due.
     *
     * @param nack    the sequence numbers to ask for now, oldest first
     * @param givenUp how many packets were given up since the last poll
     */
    public record Round(List<Integer> nack, int givenUp) {

        public static final Round NOTHING = new Round(List.of(), 0);

        public Round {
            nack = List.copyOf(nack);
        }
    }

    private static final class Missing {
        final long sinceNanos;
        long lastNackNanos;
        int nacks;

        Missing(long sinceNanos) {
            this.sinceNanos = sinceNanos;
        }
    }

    private final Settings settings;
    private final TreeMap<Long, Missing> missing = new TreeMap<>();
    /** The extended numbers of the last packets given up one by one, at most {@code maxMissing}. */
    private final TreeSet<Long> abandoned = new TreeSet<>();
    private long highest = -1;
    private long rttNanos;
    private int givenUp;

    public NackTracker(Settings settings) {
        this.settings = settings;
        this.rttNanos = settings.initialRtt().toNanos();
    }

    /** Records the arrival of the packet with this sequence number at {@code nowNanos}. */
    public Arrival received(int sequenceNumber, long nowNanos) {
        Bytes.requireRange(sequenceNumber, 0, 0xFFFF, "sequence number");
        if (highest < 0) {
            highest = SEQ_MOD + sequenceNumber;
            return Arrival.NEW;
        }
        long extended = highest + (short) (sequenceNumber - (int) (highest & 0xFFFF));
        if (extended > highest) {
            long gap = extended - highest - 1;
            if (gap > settings.maxMissing()) {
                givenUp += (int) Math.min(Integer.MAX_VALUE - givenUp, gap + missing.size());
                missing.clear();
            } else {
                for (long s = highest + 1; s < extended; s++) {
                    missing.put(s, new Missing(nowNanos));
                }
                while (missing.size() > settings.maxMissing()) {
                    abandon(missing.pollFirstEntry().getKey());
                    givenUp++;
                }
            }
            highest = extended;
            return Arrival.NEW;
        }
        Missing filled = missing.remove(extended);
        if (filled == null) {
            return abandoned.remove(extended) ? Arrival.LATE : Arrival.NOT_MISSING;
        }
        if (filled.nacks == 1) {
            long sample = nowNanos - filled.lastNackNanos;
            rttNanos += (sample - rttNanos) / 8;
        }
        return Arrival.FILLED_GAP;
    }

    /**
     * Whether a {@link #poll} has something to do: packets missing, or given up on and not yet
     * reported. Without it, a stream needs no NACK round.
     */
    public boolean outstanding() {
        return !missing.isEmpty() || givenUp > 0;
    }

    /** Whether this sequence number is missing now: a retransmission of it would fill a gap. */
    public boolean isMissing(int sequenceNumber) {
        if (highest < 0) {
            return false;
        }
        return missing.containsKey(highest + (short) (sequenceNumber - (int) (highest & 0xFFFF)));
    }

    /**
     * The packets to ask for at {@code nowNanos} (each counted as asked), and how many were given up
     * since the last poll. Meant to be called every few milliseconds.
     */
    public Round poll(long nowNanos) {
        long interval = retryIntervalNanos();
        List<Integer> due = new ArrayList<>();
        Iterator<Map.Entry<Long, Missing>> entries = missing.entrySet().iterator();
        while (entries.hasNext()) {
            Map.Entry<Long, Missing> entry = entries.next();
            Missing packet = entry.getValue();
            boolean intervalPassed = packet.nacks == 0 || nowNanos - packet.lastNackNanos >= interval;
            if (nowNanos - packet.sinceNanos > settings.maxAge().toNanos()
                    || packet.nacks >= settings.maxNacks() && intervalPassed) {
                entries.remove();
                abandon(entry.getKey());
                givenUp++;
            } else if (intervalPassed) {
                packet.nacks++;
                packet.lastNackNanos = nowNanos;
                due.add((int) (entry.getKey() & 0xFFFF));
            }
        }
        if (due.isEmpty() && givenUp == 0) {
            return Round.NOTHING;
        }
        Round round = new Round(due, givenUp);
        givenUp = 0;
        return round;
    }

    /** Remembers a packet given up on, forgetting the oldest beyond {@code maxMissing}. */
    private void abandon(long extended) {
        abandoned.add(extended);
        if (abandoned.size() > settings.maxMissing()) {
            abandoned.pollFirst();
        }
    }

    /** The time between two NACKs of one packet: the smoothed RTT, within the settings' bounds. */
    public Duration retryInterval() {
        return Duration.ofNanos(retryIntervalNanos());
    }

    private long retryIntervalNanos() {
        return Math.max(settings.minRetryInterval().toNanos(), Math.min(settings.maxRetryInterval().toNanos(), rttNanos));
    }
}
