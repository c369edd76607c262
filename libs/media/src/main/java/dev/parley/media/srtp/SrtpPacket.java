package dev.parley.media.srtp;

import org.jitsi.utils.ByteArrayBuffer;

import java.util.Arrays;

/**
 * A packet buffer jitsi-srtp transforms in place: protecting appends the authentication tag
 * (RFC 3711 §3.1, RFC 7714 §8) and for SRTCP the E-flag and index (RFC 3711 §3.4), unprotecting
 * shrinks the packet back to RTP or RTCP. The buffer grows (is replaced by a longer copy) when it
 * lacks room after the packet, so read {@link #getBuffer()} again after a transform.
 */
public final class SrtpPacket implements ByteArrayBuffer {

    private byte[] buffer;
    private int offset;
    private int length;

    public SrtpPacket(byte[] data, int offset, int length) {
        this.buffer = data;
        this.offset = offset;
        this.length = length;
    }

    /** Makes this the packet in {@code data[offset, offset + length)}: one instance serves many packets. */
    void reset(byte[] data, int offset, int length) {
        this.buffer = data;
        this.offset = offset;
        this.length = length;
    }

    /** A copy of the packet's current bytes. */
    public byte[] toBytes() {
        return Arrays.copyOfRange(buffer, offset, offset + length);
    }

    @Override
    public byte[] getBuffer() {
        return buffer;
    }

    @Override
    public int getOffset() {
        return offset;
    }

    @Override
    public int getLength() {
        return length;
    }

    @Override
    public void setLength(int length) {
        this.length = length;
    }

    @Override
    public void setOffset(int offset) {
        this.offset = offset;
    }

    @Override
    public boolean isInvalid() {
        return false;
    }

    @Override
    public void readRegionToBuff(int off, int len, byte[] out) {
        System.arraycopy(buffer, offset + off, out, 0, len);
    }

    @Override
    public void grow(int howMuch) {
        if (offset + length + howMuch > buffer.length) {
            buffer = Arrays.copyOf(buffer, offset + length + howMuch);
        }
    }

    @Override
    public void append(byte[] data, int len) {
        grow(len);
        System.arraycopy(data, 0, buffer, offset + length, len);
        length += len;
    }

    @Override
    public void shrink(int len) {
        length = Math.max(0, length - len);
    }
}
