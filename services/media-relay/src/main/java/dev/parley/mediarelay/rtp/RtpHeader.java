package dev.parley.mediarelay.rtp;

import java.nio.charset.StandardCharsets;

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
        long element = extension(data, offset, length, id);
        return element < 0 || (element & 0xFFFF) == 0 ? -1 : data[(int) (element >>> 16)] & 0xFF;
    }

    /**
     * The data of header extension {@code id} as US-ASCII text (the MID, RID and repaired RID are
     * SDES items, RFC 8843 §15.2, RFC 8852 §3), or null when the packet does not carry it.
     */
    public static String extensionText(byte[] data, int offset, int length, int id) {
        long element = extension(data, offset, length, id);
        if (element < 0 || (element & 0xFFFF) == 0) {
            return null;
        }
        return new String(data, (int) (element >>> 16), (int) (element & 0xFFFF), StandardCharsets.US_ASCII);
    }

    /** The first two data bytes of header extension {@code id} as an unsigned 16-bit number, or -1. */
    public static int extensionU16(byte[] data, int offset, int length, int id) {
        long element = extension(data, offset, length, id);
        if (element < 0 || (element & 0xFFFF) < 2) {
            return -1;
        }
        int start = (int) (element >>> 16);
        return ((data[start] & 0xFF) << 8) | (data[start + 1] & 0xFF);
    }

    /** Where the payload of a valid RTP packet starts: after the CSRCs and the extension block (RFC 3550 §5.1, §5.3.1). */
    public static int payloadOffset(byte[] data, int offset, int length) {
        int end = offset + RTP_MIN_LENGTH + 4 * (data[offset] & 0x0F);
        if ((data[offset] & 0x10) != 0 && end + 4 <= offset + length) {
            end += 4 + 4 * (((data[end + 2] & 0xFF) << 8) | (data[end + 3] & 0xFF));
        }
        return Math.min(end, offset + length);
    }

    /** Where the payload of a valid RTP packet ends: before its padding (RFC 3550 §5.1, P bit). */
    public static int payloadEnd(byte[] data, int offset, int length) {
        int end = offset + length;
        return (data[offset] & 0x20) != 0 ? end - (data[end - 1] & 0xFF) : end;
    }

    /** Writes SSRC, sequence number and timestamp into an RTP header (RFC 3550 §5.1). */
    public static void setStream(byte[] data, int offset, long ssrc, int sequenceNumber, long timestamp) {
        data[offset + 2] = (byte) (sequenceNumber >>> 8);
        data[offset + 3] = (byte) sequenceNumber;
        for (int i = 0; i < 4; i++) {
            data[offset + 4 + i] = (byte) (timestamp >>> (24 - 8 * i));
            data[offset + 8 + i] = (byte) (ssrc >>> (24 - 8 * i));
        }
    }

    /** Start ({@code << 16}) and size of element {@code id}'s data, or -1. */
    private static long extension(byte[] data, int offset, int length, int id) {
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
        boolean oneByte = profile == ExtensionElements.ONE_BYTE_PROFILE;
        for (long element = ExtensionElements.next(data, block + 4, end, oneByte); element >= 0;
                element = ExtensionElements.next(data, ExtensionElements.end(element), end, oneByte)) {
            if (ExtensionElements.id(element) == id) {
                return (long) ExtensionElements.start(element) << 16 | ExtensionElements.size(element);
            }
        }
        return -1;
    }

    private static int readInt(byte[] b, int i) {
        return ((b[i] & 0xFF) << 24) | ((b[i + 1] & 0xFF) << 16) | ((b[i + 2] & 0xFF) << 8) | (b[i + 3] & 0xFF);
    }
}
