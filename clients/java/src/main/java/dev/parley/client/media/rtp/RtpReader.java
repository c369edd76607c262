package dev.parley.client.media.rtp;

/**
 * What a receiver reads of an RTP packet's header (RFC 3550 §5.1, §5.3.1): payload type, marker,
 * sequence number, SSRC, and where the payload starts and ends (after CSRCs and any header
 * extension, before padding).
 */
public final class RtpReader {

    private RtpReader() {
    }

    public static int payloadType(byte[] p, int offset) {
        return p[offset + 1] & 0x7F;
    }

    public static int sequence(byte[] p, int offset) {
        return ((p[offset + 2] & 0xFF) << 8) | (p[offset + 3] & 0xFF);
    }

    public static long ssrc(byte[] p, int offset) {
        return ((long) (p[offset + 8] & 0xFF) << 24) | ((p[offset + 9] & 0xFF) << 16)
                | ((p[offset + 10] & 0xFF) << 8) | (p[offset + 11] & 0xFF);
    }

    /** The payload's first byte, or -1 if the header does not fit in {@code length}. */
    public static int payloadStart(byte[] p, int offset, int length) {
        int at = RtpWriter.FIXED_HEADER + 4 * (p[offset] & 0x0F);
        if ((p[offset] & 0x10) != 0) {
            if (at + 4 > length) {
                return -1;
            }
            at += 4 + 4 * (((p[offset + at + 2] & 0xFF) << 8) | (p[offset + at + 3] & 0xFF));
        }
        return at <= length ? offset + at : -1;
    }

    /** The end of the payload: {@code length} less any padding (RFC 3550 §5.1, P bit). */
    public static int payloadEnd(byte[] p, int offset, int length) {
        boolean padded = (p[offset] & 0x20) != 0;
        return offset + length - (padded ? p[offset + length - 1] & 0xFF : 0);
    }
}
