package dev.parley.mediarelay.rtcp;

import java.util.List;

/**
 * A Sender Report, packet type 200 (RFC 3550 §6.4.1): what a source has sent, tying its RTP
 * timestamps to wall-clock (NTP) time, plus reception reports on the sources it hears.
 *
 * @param senderSsrc   the source sending the report
 * @param ntpTimestamp the 64-bit NTP timestamp (seconds since 1900 in the high 32 bits, fraction in the low),
 *                     unsigned in the bits of a {@code long}
 * @param rtpTimestamp the same instant in the source's RTP timestamp units
 * @param packetCount  RTP packets sent since the source began, modulo 2^32
 * @param octetCount   payload octets sent since the source began, modulo 2^32
 * @param reportBlocks at most 31
 */
public record SenderReport(long senderSsrc, long ntpTimestamp, long rtpTimestamp, long packetCount,
                           long octetCount, List<ReportBlock> reportBlocks) implements RtcpMessage {

    private static final int SENDER_INFO_END = 28;

    public SenderReport {
        Bytes.requireU32(senderSsrc, "SSRC");
        Bytes.requireU32(rtpTimestamp, "RTP timestamp");
        Bytes.requireU32(packetCount, "packet count");
        Bytes.requireU32(octetCount, "octet count");
        reportBlocks = ReportBlocks.requireCount(reportBlocks);
    }

    public static SenderReport parse(RtcpPacket packet) throws MalformedRtcpException {
        packet.requireKind(RtcpKind.SENDER_REPORT);
        if (packet.contentLength() < SENDER_INFO_END) {
            throw new MalformedRtcpException("sender report without sender info");
        }
        byte[] b = packet.data();
        int i = packet.offset();
        return new SenderReport(packet.senderSsrc(), Bytes.u64(b, i + 8), Bytes.u32(b, i + 16),
                Bytes.u32(b, i + 20), Bytes.u32(b, i + 24), ReportBlocks.read(packet, i + SENDER_INFO_END));
    }

    /** The middle 32 bits of the NTP timestamp: what a receiver echoes as LSR (RFC 3550 §6.4.1). */
    public long compactNtp() {
        return (ntpTimestamp >>> 16) & 0xFFFF_FFFFL;
    }

    @Override
    public int length() {
        return SENDER_INFO_END + reportBlocks.size() * ReportBlock.LENGTH;
    }

    @Override
    public void writeTo(byte[] out, int offset) {
        RtcpPacket.writeHeader(out, offset, reportBlocks.size(), RtcpKind.SENDER_REPORT, length(), senderSsrc);
        Bytes.put64(out, offset + 8, ntpTimestamp);
        Bytes.put32(out, offset + 16, rtpTimestamp);
        Bytes.put32(out, offset + 20, packetCount);
        Bytes.put32(out, offset + 24, octetCount);
        ReportBlocks.write(reportBlocks, out, offset + SENDER_INFO_END);
    }
}
