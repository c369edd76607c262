package dev.parley.mediarelay.transport;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The first-byte ranges of RFC 7983 §7, edges included. */
class PacketKindTest {

    @Test
    void everyFirstByteFallsInItsRange() {
        for (int b = 0; b < 256; b++) {
            PacketKind expected = b <= 3 ? PacketKind.STUN
                    : b >= 20 && b <= 63 ? PacketKind.DTLS
                    : b >= 128 && b <= 191 ? PacketKind.RTP
                    : PacketKind.UNKNOWN;
            assertThat(PacketKind.of((byte) b)).as("first byte %d", b).isEqualTo(expected);
        }
    }

    @Test
    void turnChannelDataAndZrtpAreNotForThisPort() {
        assertThat(PacketKind.of((byte) 64)).isEqualTo(PacketKind.UNKNOWN);
        assertThat(PacketKind.of((byte) 79)).isEqualTo(PacketKind.UNKNOWN);
        assertThat(PacketKind.of((byte) 16)).isEqualTo(PacketKind.UNKNOWN);
    }
}
