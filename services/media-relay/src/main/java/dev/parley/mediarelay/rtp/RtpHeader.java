package dev.parley.mediarelay.rtp;

/**
 * What the relay reads of an RTP or RTCP packet: only the fixed header (RFC 3550 §5.1, §6.4), never
 * the payload, which the clients encrypt end to end (SFrame). RTP and RTCP share the port (rtcp-mux)
 * and are told apart by the second byte: RTCP packet types 192–223 (RFC 5761 §4).
 */
public final class RtpHeader {

    /** The fixed RTP header is 12 bytes (RFC 3550 §5.1); an RTCP header with its SSRC, 8 (§6.4.1). */
    public static final int RTP_MIN_LENGTH = 12;
    public static final int RTCP_MIN_LENGTH = 8;

    private RtpHeader() {
    }

    /** Whether the packet is RTCP rather than RTP (RFC 5761 §4: second byte 192..223). */
    public static boolean isRtcp(byte[] data, int offset, int length) {
        if (length < 2) {
            return false;
        }
        int type = data[offset + 1] & 0xFF;
        return type >= 192 && type <= 223;
    }

    /** Version 2 and long enough for the fixed header and its CSRC list (RFC 3550 §5.1). */
    public static boolean isValidRtp(byte[] data, int offset, int length) {
        return length >= RTP_MIN_LENGTH && (data[offset] & 0xC0) == 0x80
                && length >= RTP_MIN_LENGTH + 4 * (data[offset] & 0x0F);
    }

    /** The SSRC of an RTP packet (bytes 8..11, RFC 3550 §5.1). */
    public static Ssrc rtpSsrc(byte[] data, int offset) {
        return Ssrc.ofWire(readInt(data, offset + 8));
    }

    /** The sequence number of an RTP packet (bytes 2..3, RFC 3550 §5.1). */
    public static int sequenceNumber(byte[] data, int offset) {
        return ((data[offset + 2] & 0xFF) << 8) | (data[offset + 3] & 0xFF);
    }

    /** The timestamp of an RTP packet (bytes 4..7, RFC 3550 §5.1), unsigned. */
    public static long timestamp(byte[] data, int offset) {
        return readInt(data, offset + 4) & 0xFFFF_FFFFL;
    }

    /** The payload type of an RTP packet (RFC 3550 §5.1). */
    public static int payloadType(byte[] data, int offset) {
        return data[offset + 1] & 0x7F;
    }

    /**
     * The first data byte of header extension {@code id} (RFC 8285 §4.2 one-byte or §4.3 two-byte
     * form) of a valid RTP packet, or -1 when the packet does not carry it or its extension block
     * is malformed.
     */
    public static int extensionByte(byte[] data, int offset, int length, int id) {
        if (id <= 0 || (data[offset] & 0x10) == 0) {
            return -1;
        }
        int block = offset + RTP_MIN_LENGTH + 4 * (data[offset] & 0x0F);
        if (block + 4 > offset + length) {
            return -1;
        }
        int profile = ((data[block] & 0xFF) << 8) | (data[block + 1] & 0xFF);
        int end = block + 4 + 4 * (((data[block + 2] & 0xFF) << 8) | (data[block + 3] & 0xFF));
        if (end > offset + length) {
            return -1;
        }
        if (!ExtensionElements.known(profile)) {
            return -1;
        }
        int[] found = {-1};
        ExtensionElements.forEach(data, block + 4, end, profile, (elementId, start, size) -> {
            if (elementId != id) {
                return true;
            }
            found[0] = size == 0 ? -1 : data[start] & 0xFF;
            return false;
        });
        return found[0];
    }

    private static int readInt(byte[] b, int i) {
        return ((b[i] & 0xFF) << 24) | ((b[i + 1] & 0xFF) << 16) | ((b[i + 2] & 0xFF) << 8) | (b[i + 3] & 0xFF);
    }
}
