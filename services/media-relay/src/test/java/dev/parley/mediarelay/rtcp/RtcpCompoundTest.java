package dev.parley.mediarelay.rtcp;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RtcpCompoundTest {

    private static final byte[] RR_EMPTY = {(byte) 0x80, (byte) 201, 0, 1, 0, 0, 0, 7};
    private static final byte[] PLI = {(byte) 0x81, (byte) 206, 0, 2, 0, 0, 0, 7, 0, 0, 0, 9};

    @Test
    void readsEachPacketOfACompoundWithItsTypeFormatAndSsrc() throws Exception {
        byte[] datagram = concat(new byte[3], RR_EMPTY, PLI, new byte[2]);

        List<RtcpPacket> packets = RtcpCompound.parse(datagram, 3, RR_EMPTY.length + PLI.length);

        assertThat(packets).hasSize(2);
        assertThat(packets.get(0).kind()).isEqualTo(RtcpKind.RECEIVER_REPORT);
        assertThat(packets.get(0).countOrFormat()).isZero();
        assertThat(packets.get(0).offset()).isEqualTo(3);
        assertThat(packets.get(1).packetType()).isEqualTo(206);
        assertThat(packets.get(1).countOrFormat()).isEqualTo(1);
        assertThat(packets.get(1).kind()).isEqualTo(RtcpKind.PICTURE_LOSS_INDICATION);
        assertThat(packets.get(1).senderSsrc()).isEqualTo(7);
        assertThat(packets.get(1).length()).isEqualTo(12);
        ByteBuffer view = packets.get(1).bytes();
        assertThat(view.isReadOnly()).isTrue();
        byte[] copy = new byte[view.remaining()];
        view.get(copy);
        assertThat(copy).isEqualTo(PLI);
    }

    @Test
    void aSingleFeedbackPacketIsValidOnItsOwnAsReducedSizeRtcpAllows() throws Exception {
        assertThat(RtcpCompound.parse(PLI, 0, PLI.length)).singleElement()
                .extracting(RtcpPacket::kind).isEqualTo(RtcpKind.PICTURE_LOSS_INDICATION);
    }

    @Test
    void paddingOnTheLastPacketIsAccepted() throws Exception {
        byte[] padded = {(byte) 0xA0, (byte) 201, 0, 2, 0, 0, 0, 7, 0, 0, 0, 4};

        RtcpPacket packet = RtcpCompound.parse(padded, 0, padded.length).get(0);

        assertThat(packet.length()).isEqualTo(12);
        assertThat(packet.contentLength()).isEqualTo(8);
    }

    @Test
    void refusesMalformedCompoundsAsAWhole() {
        assertMalformed(new byte[0], "empty");
        assertMalformed(concat(RR_EMPTY, new byte[] {(byte) 0x80, (byte) 201, 0}), "truncated packet");
        assertMalformed(concat(RR_EMPTY, new byte[] {(byte) 0x40, (byte) 201, 0, 1, 0, 0, 0, 1}), "version");
        assertMalformed(new byte[] {(byte) 0x80, (byte) 201, 0, 2, 0, 0, 0, 7}, "exceeds");
        assertMalformed(concat(new byte[] {(byte) 0x80, (byte) 201, 0, 0}, RR_EMPTY), "without an SSRC");
        assertMalformed(new byte[] {(byte) 0x80, 96, 0, 1, 0, 0, 0, 7}, "not RTCP");
        byte[] paddedFirst = {(byte) 0xA0, (byte) 201, 0, 2, 0, 0, 0, 7, 0, 0, 0, 4};
        assertMalformed(concat(paddedFirst, RR_EMPTY), "not the last");
        assertMalformed(new byte[] {(byte) 0xA0, (byte) 201, 0, 2, 0, 0, 0, 7, 0, 0, 0, 0}, "padding count 0");
        assertMalformed(new byte[] {(byte) 0xA0, (byte) 201, 0, 2, 0, 0, 0, 7, 0, 0, 0, 9}, "padding count 9");
    }

    @Test
    void randomBytesEitherParseOrAreRefusedWithTheTypedException() {
        Random random = new Random(42);
        int parsed = 0;
        for (int i = 0; i < 20_000; i++) {
            byte[] datagram = new byte[random.nextInt(64)];
            random.nextBytes(datagram);
            if (datagram.length > 0) {
                datagram[0] = (byte) (0x80 | (datagram[0] & 0x3F));
            }
            if (datagram.length > 3) {
                datagram[1] = (byte) (192 + random.nextInt(32));
                datagram[2] = 0;
                datagram[3] = (byte) random.nextInt(4);
            }
            try {
                assertThat(RtcpCompound.parse(datagram, 0, datagram.length)).isNotEmpty();
                parsed++;
            } catch (MalformedRtcpException expected) {
                assertThat(expected.getMessage()).isNotBlank();
            }
        }
        assertThat(parsed).as("the generator also produces valid compounds").isPositive();
    }

    @Test
    void writesMessagesBackToBackAndReadsThemBack() throws Exception {
        PictureLossIndication pli = new PictureLossIndication(1, 2);
        ReceiverReport rr = new ReceiverReport(1, List.of());

        byte[] datagram = RtcpCompound.write(List.of(rr, pli));

        List<RtcpPacket> packets = RtcpCompound.parse(datagram, 0, datagram.length);
        assertThat(packets).extracting(RtcpPacket::kind)
                .containsExactly(RtcpKind.RECEIVER_REPORT, RtcpKind.PICTURE_LOSS_INDICATION);
        assertThat(ReceiverReport.parse(packets.get(0))).isEqualTo(rr);
        assertThat(PictureLossIndication.parse(packets.get(1))).isEqualTo(pli);
        assertThatThrownBy(() -> RtcpCompound.write(List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void recognisesRembAndTransportWideFeedbackWithoutParsingThem() throws Exception {
        byte[] remb = {(byte) 0x8F, (byte) 206, 0, 4, 0, 0, 0, 1, 0, 0, 0, 0, 'R', 'E', 'M', 'B', 1, 0, 0, 0};
        byte[] otherAfb = {(byte) 0x8F, (byte) 206, 0, 4, 0, 0, 0, 1, 0, 0, 0, 0, 'X', 'Y', 'Z', 'W', 1, 0, 0, 0};
        byte[] tcc = {(byte) 0x8F, (byte) 205, 0, 2, 0, 0, 0, 1, 0, 0, 0, 2};
        byte[] xr = {(byte) 0x80, (byte) 207, 0, 1, 0, 0, 0, 1};

        assertThat(kindOf(remb)).isEqualTo(RtcpKind.RECEIVER_ESTIMATED_MAX_BITRATE);
        assertThat(kindOf(otherAfb)).isEqualTo(RtcpKind.OTHER);
        assertThat(kindOf(tcc)).isEqualTo(RtcpKind.TRANSPORT_WIDE_CC);
        assertThat(kindOf(xr)).isEqualTo(RtcpKind.OTHER);
    }

    @Test
    void aParserHandedTheWrongKindIsACallerMistake() throws Exception {
        RtcpPacket rr = RtcpCompound.parse(RR_EMPTY, 0, RR_EMPTY.length).get(0);

        assertThatThrownBy(() -> SenderReport.parse(rr)).isInstanceOf(IllegalArgumentException.class);
    }

    private static RtcpKind kindOf(byte[] packet) throws MalformedRtcpException {
        return RtcpCompound.parse(packet, 0, packet.length).get(0).kind();
    }

    private static void assertMalformed(byte[] datagram, String reason) {
        assertThatThrownBy(() -> RtcpCompound.parse(datagram, 0, datagram.length))
                .isInstanceOf(MalformedRtcpException.class).hasMessageContaining(reason);
    }

    static byte[] concat(byte[]... parts) {
        int total = 0;
        for (byte[] part : parts) {
            total += part.length;
        }
        byte[] out = new byte[total];
        int position = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, out, position, part.length);
            position += part.length;
        }
        return out;
    }
}
