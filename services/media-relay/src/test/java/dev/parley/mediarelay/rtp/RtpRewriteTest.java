package dev.parley.mediarelay.rtp;

import dev.parley.mediarelay.sdp.HeaderExtension;
import dev.parley.mediarelay.sdp.HeaderExtensionSelection;
import dev.parley.mediarelay.sdp.RtpCodec;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Rewriting a publisher's RTP header for a subscriber's section, payload untouched. */
class RtpRewriteTest {

    private static final RtpCodec OPUS_111 = new RtpCodec(111, "opus", "48000/2", Optional.of("minptime=10"), List.of());
    private static final RtpCodec OPUS_109 = new RtpCodec(109, "opus", "48000/2", Optional.empty(), List.of());
    private static final SectionFormat PUBLISHER = new SectionFormat("0", List.of(OPUS_111), List.of(
            new HeaderExtension(1, HeaderExtensionSelection.AUDIO_LEVEL),
            new HeaderExtension(4, HeaderExtensionSelection.MID)));
    private static final SectionFormat SUBSCRIBER = new SectionFormat("12", List.of(OPUS_109), List.of(
            new HeaderExtension(3, HeaderExtensionSelection.AUDIO_LEVEL),
            new HeaderExtension(9, HeaderExtensionSelection.MID)));
    private static final byte[] PAYLOAD = {(byte) 0xDE, (byte) 0xAD, (byte) 0xBE, (byte) 0xEF, 7};

    /** V=2, X=1, M=1, PT 111, seq 0x1234, ts 0x01020304, SSRC 0x0A0B0C0D, extensions: level 0x85, mid "0". */
    private static byte[] publisherPacket() {
        byte[] header = {(byte) 0x90, (byte) (0x80 | 111), 0x12, 0x34, 1, 2, 3, 4, 0x0A, 0x0B, 0x0C, 0x0D,
                (byte) 0xBE, (byte) 0xDE, 0, 1, 0x10, (byte) 0x85, 0x40, '0'};
        byte[] packet = Arrays.copyOf(header, header.length + PAYLOAD.length);
        System.arraycopy(PAYLOAD, 0, packet, header.length, PAYLOAD.length);
        return packet;
    }

    /** The packet {@link RtpRewrite#apply} writes, into a buffer holding an earlier packet's bytes; or empty. */
    private static Optional<byte[]> rewrite(RtpRewrite rewrite, byte[] in) {
        byte[] out = new byte[in.length + RtpRewrite.MAX_GROWTH];
        Arrays.fill(out, (byte) 0x77);
        int length = rewrite.apply(in, 0, in.length, out);
        return length == RtpRewrite.NOT_FORWARDABLE ? Optional.empty() : Optional.of(Arrays.copyOf(out, length));
    }

    @Test
    void mapsThePayloadTypeAndExtensionIdsAndNamesTheSubscribersMid() {
        byte[] in = publisherPacket();
        byte[] out = rewrite(RtpRewrite.between(PUBLISHER, SUBSCRIBER), in).orElseThrow();

        assertThat(out[0] & 0xFF).isEqualTo(0x90);
        assertThat(out[1] & 0xFF).as("marker kept, PT 109").isEqualTo(0x80 | 109);
        assertThat(Arrays.copyOfRange(out, 2, 12)).as("sequence, timestamp, SSRC unchanged")
                .isEqualTo(Arrays.copyOfRange(in, 2, 12));
        assertThat(RtpHeader.extensionByte(out, 0, out.length, 3)).isEqualTo(0x85);
        assertThat(RtpHeader.extensionByte(out, 0, out.length, 1)).as("the publisher's id is gone").isEqualTo(-1);
        // MID "12": element 0x91 then '1' '2'.
        int block = 12;
        assertThat(Arrays.copyOfRange(out, block, block + 2)).containsExactly(0xBE, 0xDE);
        assertThat(out).containsSequence((byte) 0x91, (byte) '1', (byte) '2');
        assertThat(Arrays.copyOfRange(out, out.length - PAYLOAD.length, out.length)).isEqualTo(PAYLOAD);
        assertThat((out.length - PAYLOAD.length - 12) % 4).as("extension block padded to words").isZero();
    }

    @Test
    void writesIntoAReusedBufferWithoutKeepingItsStaleBytesAndRefusesOneTooSmall() {
        byte[] in = publisherPacket();
        RtpRewrite rewrite = RtpRewrite.between(PUBLISHER, SUBSCRIBER);
        byte[] fresh = new byte[in.length + RtpRewrite.MAX_GROWTH];
        byte[] reused = new byte[in.length + RtpRewrite.MAX_GROWTH];
        Arrays.fill(reused, (byte) 0xFF);
        int length = rewrite.apply(in, 0, in.length, fresh);
        assertThat(rewrite.apply(in, 0, in.length, reused)).isEqualTo(length);
        assertThat(Arrays.copyOf(reused, length)).as("padding and placeholder written, not left over")
                .isEqualTo(Arrays.copyOf(fresh, length));
        assertThatThrownBy(() -> rewrite.apply(in, 0, in.length, new byte[in.length]))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void writesTheMidEvenWhenThePublisherSentNoExtensions() {
        byte[] in = {(byte) 0x80, 111, 0, 1, 0, 0, 0, 1, 0, 0, 0, 9, 42};
        byte[] out = rewrite(RtpRewrite.between(PUBLISHER, SUBSCRIBER), in).orElseThrow();
        assertThat(out[0] & 0x10).as("X bit set").isNotZero();
        assertThat(out).containsSequence((byte) 0x91, (byte) '1', (byte) '2');
        assertThat(out[out.length - 1]).isEqualTo((byte) 42);
    }

    @Test
    void aCodecTheSubscriberDidNotAcceptIsNotForwarded() {
        SectionFormat vp8Only = new SectionFormat("1", List.of(new RtpCodec(96, "VP8", "90000", Optional.empty(),
                List.of())), List.of());
        byte[] in = publisherPacket();
        RtpRewrite rewrite = RtpRewrite.between(PUBLISHER, vp8Only);
        assertThat(rewrite.carries(111)).isFalse();
        assertThat(rewrite(rewrite, in)).isEmpty();
    }

    @Test
    void h264NeedsTheSamePacketizationMode() {
        RtpCodec mode1 = new RtpCodec(102, "H264", "90000",
                Optional.of("level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f"), List.of());
        RtpCodec mode0 = new RtpCodec(104, "H264", "90000",
                Optional.of("level-asymmetry-allowed=1;packetization-mode=0;profile-level-id=42e01f"), List.of());
        RtpCodec alsoMode1 = new RtpCodec(106, "H264", "90000",
                Optional.of("packetization-mode=1;profile-level-id=42e01f"), List.of());
        SectionFormat publisher = new SectionFormat("1", List.of(mode1), List.of());
        assertThat(RtpRewrite.between(publisher, new SectionFormat("2", List.of(mode0), List.of())).carries(102)).isFalse();
        assertThat(RtpRewrite.between(publisher, new SectionFormat("2", List.of(mode0, alsoMode1), List.of()))
                .carries(102)).isTrue();
    }

    @Test
    void aMalformedExtensionBlockIsRefused() {
        byte[] in = publisherPacket();
        in[15] = 9; // the block claims nine words, past the packet's end
        assertThat(rewrite(RtpRewrite.between(PUBLISHER, SUBSCRIBER), in)).isEmpty();
    }

    @Test
    void aSubscriberWithTransportWideCcGetsAPlaceholderFirstAndNeverThePublishersNumber() {
        SectionFormat publisher = new SectionFormat("0", List.of(OPUS_111), List.of(
                new HeaderExtension(1, HeaderExtensionSelection.AUDIO_LEVEL),
                new HeaderExtension(5, HeaderExtensionSelection.TRANSPORT_WIDE_CC)));
        SectionFormat subscriber = new SectionFormat("3", List.of(OPUS_109), List.of(
                new HeaderExtension(3, HeaderExtensionSelection.AUDIO_LEVEL),
                new HeaderExtension(6, HeaderExtensionSelection.TRANSPORT_WIDE_CC)));
        // level 0x85 (id 1), the publisher's transport-wide number 0x0102 (id 5).
        byte[] header = {(byte) 0x90, (byte) 111, 0x12, 0x34, 1, 2, 3, 4, 0x0A, 0x0B, 0x0C, 0x0D,
                (byte) 0xBE, (byte) 0xDE, 0, 2, 0x10, (byte) 0x85, 0x51, 0x01, 0x02, 0, 0, 0};
        byte[] in = Arrays.copyOf(header, header.length + PAYLOAD.length);
        System.arraycopy(PAYLOAD, 0, in, header.length, PAYLOAD.length);
        byte[] out = rewrite(RtpRewrite.between(publisher, subscriber), in).orElseThrow();
        assertThat(out[16] & 0xFF).as("the placeholder element comes first: id 6, two bytes").isEqualTo(0x61);
        assertThat(RtpHeader.extensionByte(out, 0, out.length, 6)).as("zero until the egress numbers it").isZero();
        assertThat(RtpHeader.extensionByte(out, 0, out.length, 3)).isEqualTo(0x85);
        assertThat(RtpHeader.extensionByte(out, 0, out.length, 5)).isEqualTo(-1);
        assertThat(Arrays.copyOfRange(out, out.length - PAYLOAD.length, out.length)).isEqualTo(PAYLOAD);
    }
}
