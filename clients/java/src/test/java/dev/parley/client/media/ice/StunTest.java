package dev.parley.client.media.ice;

import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.zip.CRC32;

import static org.assertj.core.api.Assertions.assertThat;

/** The STUN codec against the test vectors of RFC 5769 and against an independent recomputation. */
class StunTest {

    private static final String PASSWORD = "VOkJxbRl1RmTxUk/WvJxBt";

    /** RFC 5769 §2.1, the sample request (short-term credentials). */
    private static final byte[] SAMPLE_REQUEST = hex("""
            00010058 2112a442 b7e7a701 bc34d686 fa87dfae
            80220010 5354554e 20746573 7420636c 69656e74
            00240004 6e0001ff
            80290008 932ff9b1 51263b36
            00060009 6576746a 3a683676 59202020
            00080014 9aeaa70c bfd8cb56 781ef2b5 b2d3f249 c1b571a2
            80280004 e57a3bcf""");

    /** RFC 5769 §2.2, the sample IPv4 response: XOR-MAPPED-ADDRESS 192.0.2.1:32853. */
    private static final byte[] SAMPLE_IPV4_RESPONSE = hex("""
            0101003c 2112a442 b7e7a701 bc34d686 fa87dfae
            8022000b 74657374 20766563 746f7220
            00200008 0001a147 e112a643
            00080014 2b91f599 fd9e90c3 8c7489f9 2af9ba53 f06be7d7
            80280004 c07d4c96""");

    @Test
    void theSampleRequestsIntegrityAndFingerprintAreWhatOurFunctionsCompute() {
        int integrityAt = SAMPLE_REQUEST.length - 8 - 24;
        byte[] covered = Arrays.copyOf(SAMPLE_REQUEST, integrityAt);
        Stun.writeShort(covered, 2, integrityAt + 24 - Stun.HEADER);
        assertThat(Stun.hmac(PASSWORD, covered, integrityAt))
                .isEqualTo(Arrays.copyOfRange(SAMPLE_REQUEST, integrityAt + 4, integrityAt + 24));
        int fingerprintAt = SAMPLE_REQUEST.length - 8;
        assertThat(Stun.fingerprint(SAMPLE_REQUEST, fingerprintAt)).isEqualTo(Stun.readInt(SAMPLE_REQUEST, fingerprintAt + 4));
    }

    @Test
    void theSampleResponseDecodesVerifiesAndMapsItsAddress() {
        BindingResponse response = BindingResponse.decode(SAMPLE_IPV4_RESPONSE, SAMPLE_IPV4_RESPONSE.length).orElseThrow();
        assertThat(response.isSuccess()).isTrue();
        assertThat(response.transactionId()).isEqualTo(hex("b7e7a701 bc34d686 fa87dfae"));
        assertThat(response.integrityValid(PASSWORD)).isTrue();
        assertThat(response.integrityValid(PASSWORD + "x")).isFalse();
        assertThat(response.mappedAddress()).contains(new InetSocketAddress("192.0.2.1", 32853));
    }

    @Test
    void aResponseWithABadFingerprintOrLengthIsNotRead() {
        byte[] corrupted = SAMPLE_IPV4_RESPONSE.clone();
        corrupted[corrupted.length - 1] ^= 1;
        assertThat(BindingResponse.decode(corrupted, corrupted.length)).isEmpty();
        assertThat(BindingResponse.decode(SAMPLE_IPV4_RESPONSE, SAMPLE_IPV4_RESPONSE.length - 4)).isEmpty();
        assertThat(BindingResponse.decode(SAMPLE_REQUEST, SAMPLE_REQUEST.length)).as("a request is no response").isEmpty();
    }

    @Test
    void aCheckCarriesTheIceAttributesInOrderWithIntegrityAndFingerprint() {
        byte[] id = hex("0102030405060708090a0b0c");
        BindingRequest check = BindingRequest.encode(id, "relay:client", PASSWORD,
                BindingRequest.PEER_REFLEXIVE_PRIORITY, 0x1122334455667788L, true);
        byte[] m = check.bytes();

        assertThat(Stun.readShort(m, 0)).isEqualTo(Stun.BINDING_REQUEST);
        assertThat(Stun.readShort(m, 2)).isEqualTo(m.length - Stun.HEADER);
        assertThat(Stun.readInt(m, 4)).isEqualTo(Stun.MAGIC_COOKIE);
        assertThat(Arrays.copyOfRange(m, 8, 20)).isEqualTo(id);
        // USERNAME (12 bytes, no padding), PRIORITY, ICE-CONTROLLING, USE-CANDIDATE, MESSAGE-INTEGRITY, FINGERPRINT
        assertThat(types(m)).containsExactly(0x0006, 0x0024, 0x802A, 0x0025, 0x0008, 0x8028);
        assertThat(new String(m, 24, 12)).isEqualTo("relay:client");
        assertThat(Stun.readInt(m, 40)).isEqualTo(1862270975);
        assertThat(Arrays.copyOfRange(m, 48, 56)).isEqualTo(hex("11223344 55667788"));

        int integrityAt = m.length - 8 - 24;
        byte[] covered = Arrays.copyOf(m, integrityAt);
        Stun.writeShort(covered, 2, integrityAt + 24 - Stun.HEADER);
        assertThat(Arrays.copyOfRange(m, integrityAt + 4, integrityAt + 24))
                .isEqualTo(Stun.hmac(PASSWORD, covered, integrityAt));
        CRC32 crc = new CRC32();
        crc.update(m, 0, m.length - 8);
        assertThat(Stun.readInt(m, m.length - 4)).isEqualTo((int) crc.getValue() ^ 0x5354554E);
    }

    @Test
    void aConsentCheckDoesNotNominate() {
        byte[] m = BindingRequest.encode(new byte[12], "a:b", PASSWORD, 1, 2, false).bytes();
        assertThat(types(m)).doesNotContain(0x0025);
    }

    private static java.util.List<Integer> types(byte[] m) {
        java.util.List<Integer> types = new java.util.ArrayList<>();
        for (int at = Stun.HEADER; at < m.length; at += 4 + Stun.padded(Stun.readShort(m, at + 2))) {
            types.add(Stun.readShort(m, at));
        }
        return types;
    }

    private static byte[] hex(String text) {
        return HexFormat.of().parseHex(text.replaceAll("\\s", ""));
    }
}
