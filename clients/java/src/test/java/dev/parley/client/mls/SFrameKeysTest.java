package dev.parley.client.mls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;

import org.junit.jupiter.api.Test;

class SFrameKeysTest {
    private static final HexFormat HEX = HexFormat.of();

    /** RFC 9605 Appendix C.3, cipher_suite 0x0004. */
    @Test
    void keyAndSaltMatchTheRfcTestVector() {
        SFrameKeys keys = new SFrameKeys(HEX.parseHex("000102030405060708090a0b0c0d0e0f"), 0, 1);

        SFrameKeys.FrameKey key = keys.frameKey(0x123);

        assertThat(HEX.formatHex(key.key())).isEqualTo("d34f547f4ca4f9a7447006fe7fcbf768");
        assertThat(HEX.formatHex(key.salt())).isEqualTo("75234edefe07819026751816");
    }

    /** KID = (context << (S + E)) + (sender_index << E) + (epoch % (1 << E)), RFC 9605 §5.2. */
    @Test
    void keyIdsCarryContextSenderAndTheEpochsLowBits() {
        SFrameKeys keys = new SFrameKeys(new byte[16], 0x1234, 6);

        assertThat(keys.senderBits()).isEqualTo(3);
        assertThat(keys.keyId(new LeafIndex(5), 0)).isEqualTo(0x534);
        assertThat(keys.keyId(new LeafIndex(5), 1)).isEqualTo(0xd34);
        assertThat(keys.senderKey(new LeafIndex(5), 1)).isEqualTo(keys.frameKey(0xd34));
        assertThatThrownBy(() -> keys.keyId(new LeafIndex(8), 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> keys.keyId(new LeafIndex(1), 1L << 53)).isInstanceOf(IllegalArgumentException.class);
    }
}
