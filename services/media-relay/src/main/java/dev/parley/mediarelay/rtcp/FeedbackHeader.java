package dev.parley.mediarelay.rtcp;

/**
 * The common part of every feedback message (RFC 4585 §6.1): the RTCP header, the SSRC of the packet
 * sender and the SSRC of the media source, followed by the feedback control information (FCI).
 */
final class FeedbackHeader {

    static final int LENGTH = 12;

    private FeedbackHeader() {
    }

    /** The FCI length in bytes, after checking that the packet holds the media source SSRC. */
    static int fciLength(RtcpPacket packet) throws MalformedRtcpException {
        int fci = packet.contentLength() - LENGTH;
        if (fci < 0) {
            throw new MalformedRtcpException("feedback message without a media source SSRC");
        }
        return fci;
    }

    static long mediaSsrc(RtcpPacket packet) {
        return Bytes.u32(packet.data(), packet.offset() + RtcpPacket.HEADER_LENGTH);
    }

    static int fciStart(RtcpPacket packet) {
        return packet.offset() + LENGTH;
    }

    static void write(byte[] out, int offset, RtcpKind kind, int length, long senderSsrc, long mediaSsrc) {
        RtcpPacket.writeHeader(out, offset, kind.format(), kind, length, senderSsrc);
        Bytes.put32(out, offset + RtcpPacket.HEADER_LENGTH, mediaSsrc);
    }
}
