package dev.parley.mediarelay.rtcp;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RetransmissionCacheTest {

    private static final long MS = 1_000_000L;

    private final RetransmissionCache cache = new RetransmissionCache(8, Duration.ofSeconds(1));

    @Test
    void returnsACopyOfAHeldPacketBySequenceNumber() {
        byte[] packet = rtp(300, 5);
        byte[] buffer = RtcpCompoundTest.concat(new byte[4], packet);
        cache.put(buffer, 4, packet.length, 0);
        buffer[4 + 12] = 99;

        byte[] held = cache.get(300, 0).orElseThrow();
        held[12] = 77;

        assertThat(cache.get(300, 0)).hasValueSatisfying(p -> assertThat(p).isEqualTo(packet));
        assertThat(cache.get(301, 0)).isEmpty();
    }

    @Test
    void holdsOnlyTheLastCapacityPackets() {
        for (int seq = 0; seq < 20; seq++) {
            cache.put(rtp(seq, seq), 0, 13, 0);
        }

        assertThat(cache.get(11, 0)).isEmpty();
        assertThat(cache.get(12, 0)).hasValueSatisfying(p -> assertThat(p[12]).isEqualTo((byte) 12));
        assertThat(cache.get(19, 0)).isPresent();
    }

    @Test
    void keepsPacketsAcrossTheSequenceNumberWrap() {
        for (int seq : new int[] {65533, 65534, 65535, 0, 1}) {
            cache.put(rtp(seq, seq & 0x7F), 0, 13, 0);
        }

        assertThat(cache.get(65534, 0)).isPresent();
        assertThat(cache.get(1, 0)).hasValueSatisfying(p -> assertThat(p[12]).isEqualTo((byte) 1));
        assertThat(cache.get(2, 0)).as("not sent yet").isEmpty();
    }

    @Test
    void aPacketFromAnEarlierCycleIsNotMistakenForTheCurrentOne() {
        cache.put(rtp(5, 1), 0, 13, 0);
        cache.put(rtp(30_000, 2), 0, 13, 0);
        cache.put(rtp(60_000, 3), 0, 13, 0);
        cache.put(rtp(5, 4), 0, 13, 0);                      // next cycle: 65 536 after the first 5

        assertThat(cache.get(5, 0)).hasValueSatisfying(p -> assertThat(p[12]).isEqualTo((byte) 4));

        cache.put(rtp(20_000, 5), 0, 13, 0);
        cache.put(rtp(40_000, 6), 0, 13, 0);
        assertThat(cache.get(5, 0)).as("its slot is stale after the jump").isEmpty();
    }

    @Test
    void aLateArrivalWithinTheWindowIsStoredAndOneOlderIsNot() {
        cache.put(rtp(100, 1), 0, 13, 0);
        cache.put(rtp(98, 2), 0, 13, 0);
        cache.put(rtp(90, 3), 0, 13, 0);

        assertThat(cache.get(98, 0)).isPresent();
        assertThat(cache.get(90, 0)).isEmpty();
        assertThat(cache.get(100, 0)).hasValueSatisfying(p -> assertThat(p[12]).isEqualTo((byte) 1));
    }

    @Test
    void packetsOlderThanTheMaximumAgeAreNotReturned() {
        cache.put(rtp(1, 1), 0, 13, 0);
        cache.put(rtp(2, 2), 0, 13, 600 * MS);

        assertThat(cache.get(1, 1_000 * MS)).isPresent();
        assertThat(cache.get(1, 1_001 * MS)).isEmpty();
        assertThat(cache.get(2, 1_001 * MS)).isPresent();
    }

    @Test
    void aLargerPacketReplacesASmallerOneInTheSameSlot() {
        cache.put(rtp(0, 1), 0, 13, 0);
        byte[] big = RtcpCompoundTest.concat(rtp(8, 2), new byte[100]);
        cache.put(big, 0, big.length, 0);

        assertThat(cache.get(8, 0)).hasValueSatisfying(p -> assertThat(p).isEqualTo(big));
    }

    @Test
    void refusesABadConfigurationOrANonPacket() {
        assertThatThrownBy(() -> new RetransmissionCache(1000, Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RetransmissionCache(65_536, Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RetransmissionCache(8, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> cache.put(new byte[11], 0, 11, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    /** A 13-byte RTP packet: the fixed header and one payload byte. */
    static byte[] rtp(int sequenceNumber, int payload) {
        return new byte[] {(byte) 0x80, 96, (byte) (sequenceNumber >> 8), (byte) sequenceNumber,
                0, 0, 0, 1, 0, 0, 0, 2, (byte) payload};
    }
}
