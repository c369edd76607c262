package dev.parley.mediarelay.bwe;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TransportSequenceTest {

    @Test
    void numbersThePlaceholderAndNothingElse() {
        byte[] packet = {(byte) 0x90, 96, 0, 1, 0, 0, 0, 1, 0, 0, 0, 9,
                (byte) 0xBE, (byte) 0xDE, 0, 1, 0x31, 0, 0, 0, 42};
        assertThat(TransportSequence.stamp(packet, packet.length, 3, 0xABCD)).isTrue();
        assertThat(packet[17] & 0xFF).isEqualTo(0xAB);
        assertThat(packet[18] & 0xFF).isEqualTo(0xCD);
        assertThat(TransportSequence.stamp(packet, packet.length, 4, 1)).as("another id").isFalse();
        byte[] plain = {(byte) 0x80, 96, 0, 1, 0, 0, 0, 1, 0, 0, 0, 9, 42};
        assertThat(TransportSequence.stamp(plain, plain.length, 3, 1)).as("no extension block").isFalse();
    }
}
