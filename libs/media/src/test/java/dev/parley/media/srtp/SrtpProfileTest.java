package dev.parley.media.srtp;

import org.bouncycastle.tls.SRTPProtectionProfile;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The profiles as the relay chooses them and the client offers and reads them back. */
class SrtpProfileTest {

    @Test
    void gcmIsPreferredAndOnlyOurProfilesAreChosen() {
        assertThat(SrtpProfile.values()).extracting(SrtpProfile::id).containsExactly(
                SRTPProtectionProfile.SRTP_AEAD_AES_128_GCM, SRTPProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_80);
        assertThat(SrtpProfile.choose(new int[] {SRTPProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_80,
                SRTPProtectionProfile.SRTP_AEAD_AES_128_GCM})).contains(SrtpProfile.AEAD_AES_128_GCM);
        assertThat(SrtpProfile.choose(new int[] {SRTPProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_32,
                SRTPProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_80})).contains(SrtpProfile.AES128_CM_HMAC_SHA1_80);
        assertThat(SrtpProfile.choose(new int[] {SRTPProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_32})).isEmpty();
    }

    @Test
    void theServersChoiceIsReadBackById() {
        for (SrtpProfile profile : SrtpProfile.values()) {
            assertThat(SrtpProfile.byId(profile.id())).contains(profile);
        }
        assertThat(SrtpProfile.byId(SRTPProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_32)).isEmpty();
    }

    @Test
    void keyingMaterialIsBothSidesKeysAndSalts() {
        assertThat(SrtpProfile.AEAD_AES_128_GCM.keyingMaterialLength()).isEqualTo(2 * (16 + 12));
        assertThat(SrtpProfile.AES128_CM_HMAC_SHA1_80.keyingMaterialLength()).isEqualTo(2 * (16 + 14));
        assertThatThrownBy(() -> SrtpKeys.fromKeyingMaterial(SrtpProfile.AEAD_AES_128_GCM, new byte[59]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SrtpKeys.fromKeyingMaterial(SrtpProfile.AEAD_AES_128_GCM, null))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
