package dev.parley.mediarelay.rtcp;

import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * The last packets of one media stream, by sequence number, kept so that a NACK (RFC 4585 §6.2.1)
 * can be answered with a retransmission (RFC 4588) without asking the publisher.
 *
 * <p>Memory is bounded: {@code capacity} slots, each holding a copy of one unprotected RTP packet
 * (so at most capacity × the largest packet; a slot's array is reused when the next packet fits).
 * A packet is returned only while it is one of the last {@code capacity} sequence numbers and not
 * older than {@code maxAge}: a retransmission that late would arrive after the receiver gave up on it.
 * Sequence numbers are extended across the 16-bit wrap (as RFC 3550 Appendix A.1 does) so a packet
 * 65 536 numbers old is never mistaken for a current one. Not thread-safe: one stream, one thread.
 */
public final class RetransmissionCache {

    private static final int SEQ_MOD = 1 << 16;
    private static final int RTP_HEADER_LENGTH = 12;

    private final int mask;
    private final long maxAgeNanos;
    private final long[] extendedSequence;
    private final long[] storedAtNanos;
    private final byte[][] packets;
    private final int[] lengths;
    private long newest = -1;

    /**
     * @param capacity a power of two up to 32 768 (e.g. 1024: about a second of 8 Mbit/s video)
     * @param maxAge   how long a packet stays worth retransmitting (e.g. 1 s)
     */
    public RetransmissionCache(int capacity, Duration maxAge) {
        if (capacity <= 0 || capacity > SEQ_MOD / 2 || Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("capacity must be a power of two up to 32768: " + capacity);
        }
        if (maxAge.isNegative() || maxAge.isZero()) {
            throw new IllegalArgumentException("max age must be positive: " + maxAge);
        }
        this.mask = capacity - 1;
        this.maxAgeNanos = maxAge.toNanos();
        this.extendedSequence = new long[capacity];
        Arrays.fill(extendedSequence, -1);
        this.storedAtNanos = new long[capacity];
        this.packets = new byte[capacity][];
        this.lengths = new int[capacity];
    }

    /** Copies an unprotected RTP packet of this stream in; a packet older than the whole cache is ignored. */
    public void put(byte[] data, int offset, int length, long nowNanos) {
        Objects.checkFromIndexSize(offset, length, data.length);
        if (length < RTP_HEADER_LENGTH) {
            throw new IllegalArgumentException("not an RTP packet: " + length + " bytes");
        }
        int sequenceNumber = Bytes.u16(data, offset + 2);
        long ext = newest < 0 ? SEQ_MOD + sequenceNumber : extend(sequenceNumber);
        newest = Math.max(newest, ext);
        int slot = (int) (ext & mask);
        if (newest - ext > mask) {
            return;
        }
        if (packets[slot] == null || packets[slot].length < length) {
            packets[slot] = new byte[length];
        }
        System.arraycopy(data, offset, packets[slot], 0, length);
        lengths[slot] = length;
        extendedSequence[slot] = ext;
        storedAtNanos[slot] = nowNanos;
    }

    /** A copy of the packet with this sequence number, if it is still held and young enough. */
    public Optional<byte[]> get(int sequenceNumber, long nowNanos) {
        Bytes.requireRange(sequenceNumber, 0, 0xFFFF, "sequence number");
        if (newest < 0) {
            return Optional.empty();
        }
        long ext = extend(sequenceNumber);
        int slot = (int) (ext & mask);
        if (ext > newest || newest - ext > mask || extendedSequence[slot] != ext
                || nowNanos - storedAtNanos[slot] > maxAgeNanos) {
            return Optional.empty();
        }
        return Optional.of(Arrays.copyOf(packets[slot], lengths[slot]));
    }

    /** The extended number nearest the newest: at most 2^15 behind or ahead of it. */
    private long extend(int sequenceNumber) {
        return newest + (short) (sequenceNumber - (int) (newest & 0xFFFF));
    }
}
