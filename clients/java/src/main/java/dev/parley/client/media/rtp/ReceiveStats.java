package dev.parley.client.media.rtp;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Everything one client received: a {@link ReceivedStream} per SSRC, and the one-way latency of
 * every stamped packet, now minus its send time on the shared {@code System.nanoTime()} clock,
 * in an HdrHistogram {@link Recorder} (3 significant digits, up to a minute). Packets that could
 * not be unprotected, or carry no stamp, are counted apart.
 */
public final class ReceiveStats {

    private final Map<Long, ReceivedStream> streams = new ConcurrentHashMap<>();
    private final Recorder latency = new Recorder(TimeUnit.MINUTES.toNanos(1), 3);
    private final AtomicLong unprotectFailures = new AtomicLong();
    private final AtomicLong unstamped = new AtomicLong();

    /**
     * Records one unprotected RTP packet in {@code packet[offset, offset + length)} received at
     * {@code nowNanos}; {@code srtpLength} is its size on the wire. Called by one receive thread.
     */
    public void record(byte[] packet, int offset, int length, int srtpLength, long nowNanos, boolean video) {
        int start = RtpReader.payloadStart(packet, offset, length);
        int end = RtpReader.payloadEnd(packet, offset, length);
        int opaque = start < 0 ? -1 : video ? Vp8Payload.opaqueStart(packet, start, end) : start;
        PayloadStamp stamp = PayloadStamp.read(packet, opaque, end).orElse(null);
        if (stamp == null) {
            unstamped.incrementAndGet();
            return;
        }
        long ssrc = RtpReader.ssrc(packet, offset);
        streams.computeIfAbsent(ssrc, ReceivedStream::new).record(stamp, srtpLength);
        latency.recordValue(Math.max(0, Math.min(nowNanos - stamp.sentNanos(), TimeUnit.MINUTES.toNanos(1))));
    }

    public void unprotectFailed() {
        unprotectFailures.incrementAndGet();
    }

    /** The streams received so far. */
    public Collection<ReceivedStream> streams() {
        return streams.values();
    }

    /** The stream of {@code ssrc}, if any of its packets arrived. */
    public ReceivedStream stream(long ssrc) {
        return streams.get(ssrc);
    }

    public long received() {
        return streams.values().stream().mapToLong(ReceivedStream::received).sum();
    }

    public long lost() {
        return streams.values().stream().mapToLong(ReceivedStream::lost).sum();
    }

    /** The counts of every stream so far; two of them bound a measurement window. */
    public Totals totals() {
        long received = 0;
        long expected = 0;
        long bytes = 0;
        for (ReceivedStream stream : streams.values()) {
            received += stream.received();
            expected += stream.expected();
            bytes += stream.bytes();
        }
        return new Totals(received, expected, bytes);
    }

    /**
     * Packets received and expected, and SRTP bytes received, over all streams at one moment.
     * Streams that start between two totals count from their first packet.
     */
    public record Totals(long received, long expected, long bytes) {

        /** What happened between {@code earlier} and this. */
        public Totals since(Totals earlier) {
            return new Totals(received - earlier.received, expected - earlier.expected, bytes - earlier.bytes);
        }

        /** Expected but not received: a gap counts as lost until its packet arrives, late. */
        public long lost() {
            return Math.max(0, expected - received);
        }
    }

    public long unprotectFailures() {
        return unprotectFailures.get();
    }

    public long unstamped() {
        return unstamped.get();
    }

    /**
     * The latencies recorded since the previous call (the first call: since the start), in
     * nanoseconds; the caller owns the histogram.
     */
    public Histogram latencySinceLastCall() {
        return latency.getIntervalHistogram();
    }
}
