package dev.parley.mediarelay.rtcp;

import java.util.Optional;

/**
 * Where the parts of an RTP packet lie (RFC 3550 §5.1, §5.3.1): the header with its CSRC list and
 * header extension, the payload, and the trailing padding whose last octet counts it.
 *
 * @param headerLength  fixed header + 4 × CC + (if X) 4 + 4 × the extension's length field
 * @param payloadLength what lies between the header and the padding
 */
record RtpLayout(int headerLength, int payloadLength) {

    private static final int FIXED_HEADER = 12;

    static Optional<RtpLayout> of(byte[] data, int offset, int length) {
        if (length < FIXED_HEADER || (data[offset] & 0xC0) != 0x80) {
            return Optional.empty();
        }
        int header = FIXED_HEADER + 4 * (data[offset] & 0x0F);
        if ((data[offset] & 0x10) != 0) {
            if (length < header + 4) {
                return Optional.empty();
            }
            header += 4 + 4 * Bytes.u16(data, offset + header + 2);
        }
        if (header > length) {
            return Optional.empty();
        }
        int padding = 0;
        if ((data[offset] & 0x20) != 0) {
            padding = length > header ? Bytes.u8(data, offset + length - 1) : 0;
            if (padding == 0 || padding > length - header) {
                return Optional.empty();
            }
        }
        return Optional.of(new RtpLayout(header, length - header - padding));
    }
}
