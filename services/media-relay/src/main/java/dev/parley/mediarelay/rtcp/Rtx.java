package dev.parley.mediarelay.rtcp;

import java.util.Optional;

/**
 * The RTP retransmission payload format of RFC 4588 §4 in session-multiplexing mode, as WebRTC uses
 * it: a retransmission travels on its own SSRC and payload type with its own sequence numbers, and
 * its payload is the original sequence number (OSN, 2 bytes) followed by the original payload.
 * Everything else of the header (marker, timestamp, CSRCs, header extensions) is the original's.
 *
 * <p>Padding is not part of the original payload and is dropped both ways (the P bit cleared). A
 * packet that holds no OSN, such as the padding-only RTX packets browsers send to probe bandwidth,
 * unwraps to nothing.
 */
public final class Rtx {

    private static final int OSN_LENGTH = 2;

    private Rtx() {
    }

    /** The RTX packet (RFC 4588 §4) carrying an unprotected original; empty if the original is not valid RTP. */
    public static Optional<byte[]> wrap(byte[] data, int offset, int length,
                                        int rtxPayloadType, long rtxSsrc, int rtxSequenceNumber) {
        Bytes.requireRange(rtxPayloadType, 0, 127, "payload type");
        Bytes.requireU32(rtxSsrc, "SSRC");
        Bytes.requireRange(rtxSequenceNumber, 0, 0xFFFF, "sequence number");
        return RtpLayout.of(data, offset, length).map(layout -> {
            int header = layout.headerLength();
            byte[] out = new byte[header + OSN_LENGTH + layout.payloadLength()];
            System.arraycopy(data, offset, out, 0, header);
            rewriteHeader(out, rtxPayloadType, rtxSequenceNumber, rtxSsrc);
            Bytes.put16(out, header, Bytes.u16(data, offset + 2));
            System.arraycopy(data, offset + header, out, header + OSN_LENGTH, layout.payloadLength());
            return out;
        });
    }

    /**
     * The original packet (RFC 4588 §4) inside an unprotected RTX packet; empty if it is not valid RTP
     * or holds no OSN.
     */
    public static Optional<byte[]> unwrap(byte[] data, int offset, int length, int mediaPayloadType, long mediaSsrc) {
        Bytes.requireRange(mediaPayloadType, 0, 127, "payload type");
        Bytes.requireU32(mediaSsrc, "SSRC");
        return RtpLayout.of(data, offset, length)
                .filter(layout -> layout.payloadLength() >= OSN_LENGTH)
                .map(layout -> {
                    int header = layout.headerLength();
                    int payload = layout.payloadLength() - OSN_LENGTH;
                    byte[] out = new byte[header + payload];
                    System.arraycopy(data, offset, out, 0, header);
                    rewriteHeader(out, mediaPayloadType, Bytes.u16(data, offset + header), mediaSsrc);
                    System.arraycopy(data, offset + header + OSN_LENGTH, out, header, payload);
                    return out;
                });
    }

    /** Clears P, keeps V, X, CC and M, and sets PT, sequence number and SSRC (RFC 3550 §5.1). */
    private static void rewriteHeader(byte[] out, int payloadType, int sequenceNumber, long ssrc) {
        out[0] &= (byte) ~0x20;
        out[1] = (byte) ((out[1] & 0x80) | payloadType);
        Bytes.put16(out, 2, sequenceNumber);
        Bytes.put32(out, 8, ssrc);
    }
}
