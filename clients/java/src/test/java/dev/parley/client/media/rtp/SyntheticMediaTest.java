package dev.parley.client.media.rtp;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import static org.assertj.core.api.Assertions.assertThat;

/** The synthetic sources packetize as RFC 7741 and RFC 7587 say, and a receiver reads their stamps. */
class SyntheticMediaTest {

    private final List<byte[]> packets = new ArrayList<>();
    private final PacketSink sink = (buffer, length) -> packets.add(Arrays.copyOf(buffer, length));

    @Test
    void vp8FramesHitTheBitrateInPacketsOfAtMost1200BytesWithTheMarkerOnEachLast() {
        RtpWriter writer = new RtpWriter(0xCAFEL, 96, 65530, Optional.of(new RtpWriter.MidExtension(4, "1")),
                OptionalInt.empty());
        Vp8Source video = new Vp8Source(writer, 7, 1000, 1_500_000, 30, 3);
        for (int frame = 0; frame < 90; frame++) {
            video.tick(sink);
        }

        long payloadBytes = 0;
        int frames = 0;
        long lastTimestamp = -1;
        for (int i = 0; i < packets.size(); i++) {
            byte[] p = packets.get(i);
            int start = RtpReader.payloadStart(p, 0, p.length);
            payloadBytes += p.length - start;
            assertThat(p.length - start).isLessThanOrEqualTo(Vp8Source.MAX_PAYLOAD);
            assertThat(RtpReader.ssrc(p, 0)).isEqualTo(0xCAFEL);
            assertThat(RtpReader.sequence(p, 0)).isEqualTo((65530 + i) & 0xFFFF);
            long timestamp = readInt(p, 4);
            boolean marker = (p[1] & 0x80) != 0;
            boolean lastOfFrame = i == packets.size() - 1 || readInt(packets.get(i + 1), 4) != timestamp;
            assertThat(marker).as("marker on packet %d", i).isEqualTo(lastOfFrame);
            if (timestamp != lastTimestamp) {
                assertThat(p[start] & 0x10).as("S bit at a frame's start").isEqualTo(0x10);
                assertThat(lastTimestamp < 0 || timestamp - lastTimestamp == 3000).isTrue();
                lastTimestamp = timestamp;
                frames++;
            }
        }
        assertThat(frames).isEqualTo(90);
        assertThat(payloadBytes * 8 / 3.0).isCloseTo(1_500_000, org.assertj.core.data.Percentage.withPercentage(3));
        byte[] first = packets.get(0);
        int start = RtpReader.payloadStart(first, 0, first.length);
        assertThat(first[start + 1] & 0x01).as("the first frame is a key frame (P = 0)").isZero();
        assertThat(Arrays.copyOfRange(first, start + 4, start + 7)).isEqualTo(new byte[] {(byte) 0x9D, 0x01, 0x2A});
    }

    @Test
    void everyStampIsFoundAndOneMissingPacketIsOneLost() {
        Vp8Source video = new Vp8Source(new RtpWriter(1, 96, 0, Optional.empty(), OptionalInt.empty()), 3, 0,
                1_000_000, 30, 1);
        OpusSource audio = new OpusSource(new RtpWriter(2, 111, 0, Optional.empty(), OptionalInt.of(1)), 3, 0);
        for (int i = 0; i < 60; i++) {
            video.tick(sink);
            audio.tick(sink);
        }
        ReceiveStats stats = new ReceiveStats();
        packets.remove(17);
        for (byte[] p : packets) {
            stats.record(p, 0, p.length, p.length + 16, System.nanoTime(), RtpReader.payloadType(p, 0) == 96);
        }
        assertThat(stats.unstamped()).isZero();
        assertThat(stats.streams()).hasSize(2);
        assertThat(stats.stream(2).received()).isEqualTo(60);
        assertThat(stats.stream(2).senderId()).isEqualTo(3);
        assertThat(stats.lost()).isEqualTo(1);
        assertThat(stats.received()).isEqualTo(packets.size());
        assertThat(stats.latencySinceLastCall().getTotalCount()).isEqualTo(packets.size());
    }

    @Test
    void opusPacketsAre20msApartWithTheAudioLevelAndMidExtensions() {
        OpusSource audio = new OpusSource(new RtpWriter(9, 111, 100, Optional.of(new RtpWriter.MidExtension(4, "0")),
                OptionalInt.of(1)), 1, 5000);
        for (int i = 0; i < 101; i++) {
            audio.tick(sink);
        }
        assertThat(audio.periodNanos()).isEqualTo(20_000_000L);
        for (int i = 0; i < packets.size(); i++) {
            byte[] p = packets.get(i);
            assertThat(readInt(p, 4)).isEqualTo(5000 + 960L * i);
            // one-byte extension block (RFC 8285 §4.2): 0xBEDE, one word: level (id 1, L 0), mid "0" (id 4, L 0)
            assertThat(Arrays.copyOfRange(p, 12, 16)).isEqualTo(new byte[] {(byte) 0xBE, (byte) 0xDE, 0, 1});
            assertThat(p[16]).isEqualTo((byte) 0x10);
            assertThat(p[17] & 0xFF).isEqualTo(i < 100 ? 0x80 | 30 : 127);
            assertThat(Arrays.copyOfRange(p, 18, 20)).isEqualTo(new byte[] {0x40, '0'});
            assertThat(RtpReader.payloadStart(p, 0, p.length)).isEqualTo(20);
            int payload = p.length - 20;
            assertThat(payload).isBetween(60, 100);
            assertThat((p[1] & 0x80) != 0).as("marker at a talkspurt's start").isEqualTo(i == 0);
        }
    }

    private static long readInt(byte[] b, int at) {
        return ((long) (b[at] & 0xFF) << 24) | ((b[at + 1] & 0xFF) << 16) | ((b[at + 2] & 0xFF) << 8) | (b[at + 3] & 0xFF);
    }
}
