package dev.parley.mediarelay.rtcp;

import java.nio.ByteBuffer;

/**
 * One RTCP packet inside a compound datagram (RFC 3550 §6.1, §6.4.1): a view of the caller's bytes,
 * not a copy, valid while the caller's buffer is. Only {@link RtcpCompound#parse} makes one, after
 * checking its version, length and padding, so every packet has at least its header and the SSRC
 * that follows it.
 */
public final class RtcpPacket {

    /** The common header (V, P, count/FMT, PT, length) and the sender's SSRC (RFC 3550 §6.4.1). */
    static final int HEADER_LENGTH = 8;

    private final byte[] data;
    private final int offset;
    private final int length;
    private final int paddingLength;

    RtcpPacket(byte[] data, int offset, int length, int paddingLength) {
        this.data = data;
        this.offset = offset;
        this.length = length;
        this.paddingLength = paddingLength;
    }

    /** The packet type field, 192..223 (RFC 3550 §12.1, RFC 5761 §4). */
    public int packetType() {
        return Bytes.u8(data, offset + 1);
    }

    /** The five bits after V and P: a report or source count (RFC 3550 §6.4.1) or a feedback FMT (RFC 4585 §6.1). */
    public int countOrFormat() {
        return data[offset] & 0x1F;
    }

    /**
     * The SSRC after the header: the sender's for reports and feedback (RFC 3550 §6.4, RFC 4585 §6.1),
     * the first chunk's or source's for SDES and BYE (§6.5, §6.6).
     */
    public long senderSsrc() {
        return Bytes.u32(data, offset + 4);
    }

    public RtcpKind kind() {
        return RtcpKind.of(this);
    }

    /** Where the packet starts in the caller's buffer. */
    public int offset() {
        return offset;
    }

    /** The whole packet's length in bytes, header and padding included: 4 × (length field + 1). */
    public int length() {
        return length;
    }

    /** A read-only view of the whole packet, e.g. to forward it unchanged. */
    public ByteBuffer bytes() {
        return ByteBuffer.wrap(data, offset, length).slice().asReadOnlyBuffer();
    }

    /** Guards a parser against being handed another kind of packet: a caller's mistake, not the peer's. */
    void requireKind(RtcpKind expected) {
        if (kind() != expected) {
            throw new IllegalArgumentException("not a " + expected + " packet: " + kind());
        }
    }

    byte[] data() {
        return data;
    }

    /** The length without trailing padding (RFC 3550 §6.4.1: the last padding octet counts the padding). */
    int contentLength() {
        return length - paddingLength;
    }

    /** Writes the common header (RFC 3550 §6.4.1, RFC 4585 §6.1) and the sender's SSRC; never padding. */
    static void writeHeader(byte[] out, int offset, int countOrFormat, RtcpKind kind, int length, long senderSsrc) {
        out[offset] = (byte) (0x80 | countOrFormat);
        out[offset + 1] = (byte) kind.packetType();
        Bytes.put16(out, offset + 2, length / 4 - 1);
        Bytes.put32(out, offset + 4, senderSsrc);
    }
}
