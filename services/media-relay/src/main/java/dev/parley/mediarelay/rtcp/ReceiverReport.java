package dev.parley.mediarelay.rtcp;

import java.util.List;

/**
 * A Receiver Report, packet type 201 (RFC 3550 §6.4.2): reception reports from a participant that
 * sends no RTP on this SSRC, such as the relay reporting to a publisher.
 *
 * @param senderSsrc   the reporter
 * @param reportBlocks at most 31; none is valid (an empty RR opens a compound, §6.4.2)
 */
public record ReceiverReport(long senderSsrc, List<ReportBlock> reportBlocks) implements RtcpMessage {

    public ReceiverReport {
        Bytes.requireU32(senderSsrc, "SSRC");
        reportBlocks = ReportBlocks.requireCount(reportBlocks);
    }

    public static ReceiverReport parse(RtcpPacket packet) throws MalformedRtcpException {
        packet.requireKind(RtcpKind.RECEIVER_REPORT);
        return new ReceiverReport(packet.senderSsrc(),
                ReportBlocks.read(packet, packet.offset() + RtcpPacket.HEADER_LENGTH));
    }

    @Override
    public int length() {
        return RtcpPacket.HEADER_LENGTH + reportBlocks.size() * ReportBlock.LENGTH;
    }

    @Override
    public void writeTo(byte[] out, int offset) {
        RtcpPacket.writeHeader(out, offset, reportBlocks.size(), RtcpKind.RECEIVER_REPORT, length(), senderSsrc);
        ReportBlocks.write(reportBlocks, out, offset + RtcpPacket.HEADER_LENGTH);
    }
}
