package dev.parley.mediarelay.rtcp;

import org.junit.jupiter.api.Test;

import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Sender and receiver reports (RFC 3550 §6.4.1, §6.4.2). */
class ReportsTest {

    private static final ReportBlock BLOCK = new ReportBlock(0xCAFEBABEL, 64, -3, 0x1_0005L, 120, 0x12345678L, 65_536);

    @Test
    void readsTheFieldsOfASenderReportAtTheirRfcOffsets() throws Exception {
        byte[] sr = {
                (byte) 0x81, (byte) 200, 0, 12,
                0, 0, 0, 42,                                        // sender SSRC
                (byte) 0xE8, 0, 0, 1, (byte) 0x80, 0, 0, 0,         // NTP: 0xE8000001.80000000
                0, 0, 0x10, 0,                                      // RTP timestamp 4096
                0, 0, 0, 10,                                        // packet count
                0, 0, 0x03, (byte) 0xE8,                            // octet count 1000
                (byte) 0xCA, (byte) 0xFE, (byte) 0xBA, (byte) 0xBE, // block SSRC
                64, (byte) 0xFF, (byte) 0xFF, (byte) 0xFD,          // fraction 64/256, cumulative lost -3
                0, 1, 0, 5,                                         // extended highest sequence 65541
                0, 0, 0, 120,                                       // jitter
                0x12, 0x34, 0x56, 0x78,                             // LSR
                0, 1, 0, 0                                          // DLSR: 1 s
        };

        SenderReport report = SenderReport.parse(RtcpCompound.parse(sr, 0, sr.length).get(0));

        assertThat(report).isEqualTo(new SenderReport(42, 0xE8000001_80000000L, 4096, 10, 1000, List.of(BLOCK)));
        assertThat(report.compactNtp()).isEqualTo(0x0001_8000L);
        assertThat(report.toBytes()).isEqualTo(sr);
    }

    @Test
    void senderAndReceiverReportsRoundTripThroughTheReader() throws Exception {
        SenderReport sr = new SenderReport(0xFFFF_FFFFL, -1L, 0xFFFF_FFFFL, 7, 8, List.of(BLOCK, BLOCK));
        ReceiverReport rr = new ReceiverReport(5, List.of(BLOCK));

        byte[] datagram = RtcpCompound.write(List.of(sr, rr));
        List<RtcpPacket> packets = RtcpCompound.parse(datagram, 0, datagram.length);

        assertThat(packets.get(0).countOrFormat()).isEqualTo(2);
        assertThat(SenderReport.parse(packets.get(0))).isEqualTo(sr);
        assertThat(ReceiverReport.parse(packets.get(1))).isEqualTo(rr);
    }

    @Test
    void profileExtensionsAfterTheBlocksAreIgnored() throws Exception {
        byte[] rr = RtcpCompoundTest.concat(new ReceiverReport(5, List.of(BLOCK)).toBytes(), new byte[4]);
        rr[3] += 1;

        assertThat(ReceiverReport.parse(RtcpCompound.parse(rr, 0, rr.length).get(0)).reportBlocks()).containsExactly(BLOCK);
    }

    @Test
    void aReportCountingMoreBlocksThanItHoldsIsMalformed() throws Exception {
        byte[] rr = new ReceiverReport(5, List.of(BLOCK)).toBytes();
        rr[0] = (byte) 0x82;
        RtcpPacket packet = RtcpCompound.parse(rr, 0, rr.length).get(0);
        byte[] sr = {(byte) 0x80, (byte) 200, 0, 1, 0, 0, 0, 1};
        RtcpPacket shortSr = RtcpCompound.parse(sr, 0, sr.length).get(0);

        assertThatThrownBy(() -> ReceiverReport.parse(packet)).isInstanceOf(MalformedRtcpException.class);
        assertThatThrownBy(() -> SenderReport.parse(shortSr)).isInstanceOf(MalformedRtcpException.class);
    }

    @Test
    void refusesValuesTheFieldsCannotHold() {
        assertThatThrownBy(() -> new ReportBlock(1, 256, 0, 0, 0, 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ReportBlock(1, 0, ReportBlock.MAX_CUMULATIVE_LOST + 1, 0, 0, 0, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ReportBlock(1L << 32, 0, 0, 0, 0, 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ReceiverReport(1, Collections.nCopies(32, BLOCK)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
