package dev.parley.mediarelay.rtcp;

/**
 * What an RTCP packet is, from its packet type and its count/format field: the RFC 3550 §12.1 types,
 * and the feedback messages of RFC 4585 §6 and RFC 5104 §4 that WebRTC negotiates ({@code nack},
 * {@code nack pli}, {@code ccm fir}, {@code transport-cc}, {@code goog-remb}). REMB
 * (draft-alvestrand-rmcat-remb §2.2) and transport-wide congestion control
 * (draft-holmer-rmcat-transport-wide-cc-extensions §3.1) are recognised but not parsed.
 */
public enum RtcpKind {
    SENDER_REPORT(200, -1),
    RECEIVER_REPORT(201, -1),
    SOURCE_DESCRIPTION(202, -1),
    GOODBYE(203, -1),
    APPLICATION(204, -1),
    /** RTPFB FMT 1 (RFC 4585 §6.2.1). */
    GENERIC_NACK(205, 1),
    /** RTPFB FMT 15 (draft-holmer-rmcat-transport-wide-cc-extensions §3.1). */
    TRANSPORT_WIDE_CC(205, 15),
    /** PSFB FMT 1 (RFC 4585 §6.3.1). */
    PICTURE_LOSS_INDICATION(206, 1),
    /** PSFB FMT 4 (RFC 5104 §4.3.1). */
    FULL_INTRA_REQUEST(206, 4),
    /** PSFB FMT 15, application layer feedback (RFC 4585 §6.4), whose FCI starts with "REMB". */
    RECEIVER_ESTIMATED_MAX_BITRATE(206, 15),
    /** Any other packet type or feedback format, e.g. extended reports (RFC 3611). */
    OTHER(-1, -1);

    private static final int REMB_IDENTIFIER = ('R' << 24) | ('E' << 16) | ('M' << 8) | 'B';

    private final int packetType;
    private final int format;

    RtcpKind(int packetType, int format) {
        this.packetType = packetType;
        this.format = format;
    }

    /** The packet type (PT) field of this kind; -1 for {@link #OTHER}. */
    public int packetType() {
        return packetType;
    }

    /** The FMT field for a feedback message; -1 where the field is a count. */
    public int format() {
        return format;
    }

    public static RtcpKind of(RtcpPacket packet) {
        int type = packet.packetType();
        int fmt = packet.countOrFormat();
        for (RtcpKind kind : values()) {
            if (kind.packetType == type && (kind.format < 0 || kind.format == fmt)) {
                return kind == RECEIVER_ESTIMATED_MAX_BITRATE && !startsWithRemb(packet) ? OTHER : kind;
            }
        }
        return OTHER;
    }

    private static boolean startsWithRemb(RtcpPacket packet) {
        return packet.contentLength() >= 16
                && (int) Bytes.u32(packet.data(), packet.offset() + 12) == REMB_IDENTIFIER;
    }
}
