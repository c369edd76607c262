package dev.parley.media.srtp;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.security.SecureRandom;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

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
    void runtAndWrongLengthInputIsRefused(SrtpProfile profile) {
        SrtpTransformer server = SrtpTransformer.forDtlsServer(
                SrtpKeys.fromKeyingMaterial(profile, new byte[profile.keyingMaterialLength()]));
        assertThat(server.unprotectRtp(new SrtpPacket(new byte[5], 0, 5))).isFalse();
        byte[] header = Arrays.copyOf(new byte[] {(byte) 0x80, 96}, 12);
        assertThat(server.unprotectRtp(new SrtpPacket(header, 0, header.length))).isFalse();
    }
}
