package dev.parley.media.srtp;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.security.SecureRandom;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Both ends of one DTLS-SRTP association, keyed from the same exporter output. */
class SrtpTransformerTest {

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void whatOneSideProtectsTheOtherUnprotectsAndTamperingIsCaught(SrtpProfile profile) {
        byte[] material = new byte[profile.keyingMaterialLength()];
        new SecureRandom().nextBytes(material);
        SrtpKeys keys = SrtpKeys.fromKeyingMaterial(profile, material);
        SrtpTransformer client = SrtpTransformer.forDtlsClient(keys);
        SrtpTransformer server = SrtpTransformer.forDtlsServer(keys);
        int tag = profile == SrtpProfile.AEAD_AES_128_GCM ? 16 : 10;

        byte[] rtp = {(byte) 0x80, 111, 0, 1, 0, 0, 0, 1, 0, 0, 0, 5, 'h', 'e', 'l', 'l', 'o'};
        SrtpPacket packet = new SrtpPacket(rtp.clone(), 0, rtp.length);
        assertThat(client.protectRtp(packet)).isTrue();
        assertThat(packet.getLength()).isEqualTo(rtp.length + tag);
        byte[] wire = packet.toBytes();

        SrtpPacket forged = new SrtpPacket(wire.clone(), 0, wire.length);
        forged.getBuffer()[13] ^= 1;
        assertThat(server.unprotectRtp(forged)).isFalse();

        assertThat(server.unprotectRtp(packet)).isTrue();
        assertThat(packet.toBytes()).isEqualTo(rtp);
        assertThat(server.unprotectRtp(new SrtpPacket(wire.clone(), 0, wire.length))).as("replay").isFalse();

        assertThat(client.unprotectRtp(new SrtpPacket(wire.clone(), 0, wire.length)))
                .as("a side cannot read its own direction").isFalse();

        byte[] rtcp = {(byte) 0x80, (byte) 201, 0, 1, 0, 0, 0, 5};
        SrtpPacket report = new SrtpPacket(rtcp.clone(), 0, rtcp.length);
        assertThat(server.protectRtcp(report)).isTrue();
        assertThat(client.unprotectRtcp(report)).isTrue();
        assertThat(report.toBytes()).isEqualTo(rtcp);
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void oneReusedBufferCarriesPacketsOfManySsrcsBothWaysInPlace(SrtpProfile profile) {
        byte[] material = new byte[profile.keyingMaterialLength()];
        new SecureRandom().nextBytes(material);
        SrtpKeys keys = SrtpKeys.fromKeyingMaterial(profile, material);
        SrtpTransformer relay = SrtpTransformer.forDtlsServer(keys);
        SrtpTransformer client = SrtpTransformer.forDtlsClient(keys);
        int tag = profile == SrtpProfile.AEAD_AES_128_GCM ? 16 : 10;
        byte[] buffer = new byte[64];
        for (int round = 0; round < 3; round++) {
            for (int ssrc = 1; ssrc <= 40; ssrc++) { // more SSRCs than the contexts' first table holds
                byte[] rtp = {(byte) 0x80, 96, 0, (byte) round, 0, 0, 0, 1, 0, 0, 0, (byte) ssrc, 'h', 'i', (byte) ssrc};
                System.arraycopy(rtp, 0, buffer, 3, rtp.length);
                int wire = relay.protectRtp(buffer, 3, rtp.length);
                assertThat(wire).isEqualTo(rtp.length + tag);
                byte[] received = Arrays.copyOfRange(buffer, 3, 3 + wire);
                assertThat(client.unprotectRtp(received, 0, wire)).isEqualTo(rtp.length);
                assertThat(Arrays.copyOf(received, rtp.length)).isEqualTo(rtp);
                assertThat(client.unprotectRtp(Arrays.copyOfRange(buffer, 3, 3 + wire), 0, wire)).as("replay")
                        .isEqualTo(-1);
            }
        }
        assertThatThrownBy(() -> relay.protectRtp(new byte[20], 0, 12)).as("no room for the tag")
                .isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void runtAndWrongLengthInputIsRefused(SrtpProfile profile) {
        SrtpTransformer server = SrtpTransformer.forDtlsServer(
                SrtpKeys.fromKeyingMaterial(profile, new byte[profile.keyingMaterialLength()]));
        assertThat(server.unprotectRtp(new SrtpPacket(new byte[5], 0, 5))).isFalse();
        byte[] header = Arrays.copyOf(new byte[] {(byte) 0x80, 96}, 12);
        assertThat(server.unprotectRtp(new SrtpPacket(header, 0, header.length))).isFalse();
    }
}
