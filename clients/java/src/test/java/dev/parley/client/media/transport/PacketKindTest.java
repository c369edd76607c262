package dev.parley.client.media.transport;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Demultiplexing by the first byte (RFC 7983 §7) and RTP versus RTCP by the second (RFC 5761 §4). */
class PacketKindTest {

    @Test
    void eachFirstByteRangeIsItsKind() {
        for (int first = 0; first < 256; first++) {
            PacketKind expected = first <= 3 ? PacketKind.STUN : first >= 20 && first <= 63 ? PacketKind.DTLS
                    : first >= 128 && first <= 191 ? PacketKind.RTP : PacketKind.OTHER;
            assertThat(PacketKind.of(new byte[] {(byte) first, 96}, 2)).as("first byte %d", first).isEqualTo(expected);
        }
    }

    @Test
    void rtcpPacketTypesAreRtcp() {
        assertThat(PacketKind.of(new byte[] {(byte) 0x80, (byte) 200}, 2)).isEqualTo(PacketKind.RTCP); // SR
        assertThat(PacketKind.of(new byte[] {(byte) 0x81, (byte) 206}, 2)).isEqualTo(PacketKind.RTCP); // PSFB
        assertThat(PacketKind.of(new byte[] {(byte) 0x80, (byte) (0x80 | 96)}, 2)).isEqualTo(PacketKind.RTP); // marker + PT 96
        assertThat(PacketKind.of(new byte[0], 0)).isEqualTo(PacketKind.OTHER);
    }
}
