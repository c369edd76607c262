package dev.parley.client.media.rtp;

/**
 * What one receiver got of one incoming stream (one SSRC), from the {@link PayloadStamp} counters:
 * packets received, and packets expected, the span from the first counter seen to the highest
 * (RFC 3550 §6.4.1 and Appendix A.3 define loss the same way, on sequence numbers). Lost is
 * expected minus received: a late packet fills the gap it left, a duplicate counts as one more.
 * Written by the client's receive thread only; read from anywhere.
 */
public final class ReceivedStream {

    private final long ssrc;
    private volatile int senderId = -1;
    private volatile long received;
    private volatile long firstCounter = -1;
    private volatile long highestCounter = -1;
    private volatile long bytes;

    ReceivedStream(long ssrc) {
        this.ssrc = ssrc;
    }

    void record(PayloadStamp stamp, int length) {
        if (firstCounter < 0) {
            firstCounter = stamp.counter();
            senderId = stamp.senderId();
        }
        if (stamp.counter() > highestCounter) {
            highestCounter = stamp.counter();
        }
        received++;
        bytes += length;
    }

    public long ssrc() {
        return ssrc;
    }

    /** The {@link PayloadStamp#senderId()} of the stream's sender; -1 before the first packet. */
    public int senderId() {
        return senderId;
    }

    public long received() {
        return received;
    }

    /** SRTP bytes received on this stream. */
    public long bytes() {
        return bytes;
    }

    public long expected() {
        return firstCounter < 0 ? 0 : highestCounter - firstCounter + 1;
    }

    public long lost() {
        return Math.max(0, expected() - received);
    }
}
