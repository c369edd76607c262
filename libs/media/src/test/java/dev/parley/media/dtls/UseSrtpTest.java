package dev.parley.media.dtls;

import dev.parley.media.srtp.SrtpProfile;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.SRTPProtectionProfile;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsSRTPUtils;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.UseSRTPData;
import org.junit.jupiter.api.Test;

import java.util.Hashtable;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The {@code use_srtp} exchange as the relay (server) and the Java client play it against each other. */
class UseSrtpTest {

    private static final List<SrtpProfile> ALL = List.of(SrtpProfile.values());

    @Test
    void theServerChoosesItsPreferredOfferedProfileAndTheClientReadsItBack() throws Exception {
        Hashtable<Integer, byte[]> clientHello = new Hashtable<>();
        UseSrtp.offer(clientHello, List.of(SrtpProfile.AES128_CM_HMAC_SHA1_80, SrtpProfile.AEAD_AES_128_GCM));
        SrtpProfile chosen = UseSrtp.choose(clientHello);
        assertThat(chosen).isEqualTo(SrtpProfile.AEAD_AES_128_GCM);

        Hashtable<Integer, byte[]> serverHello = new Hashtable<>();
        UseSrtp.answer(serverHello, chosen);
        assertThat(TlsSRTPUtils.getUseSRTPExtension(serverHello).getProtectionProfiles()).containsExactly(chosen.id());
        assertThat(UseSrtp.selected(serverHello, ALL)).isEqualTo(chosen);
    }

    @Test
    void anOfferOfOneProfileGetsThatProfile() throws Exception {
        Hashtable<Integer, byte[]> clientHello = new Hashtable<>();
        UseSrtp.offer(clientHello, List.of(SrtpProfile.AES128_CM_HMAC_SHA1_80));
        assertThat(UseSrtp.choose(clientHello)).isEqualTo(SrtpProfile.AES128_CM_HMAC_SHA1_80);
    }

    @Test
    void theServerRefusesAHelloWithoutUseSrtpOrACommonProfile() throws Exception {
        assertAlert(() -> UseSrtp.choose(new Hashtable<>()), AlertDescription.handshake_failure);
        Hashtable<Integer, byte[]> clientHello = hello(SRTPProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_32);
        assertAlert(() -> UseSrtp.choose(clientHello), AlertDescription.handshake_failure);
    }

    @Test
    void theClientRefusesNoChoiceSeveralOrOneItDidNotOffer() throws Exception {
        assertAlert(() -> UseSrtp.selected(new Hashtable<>(), ALL), AlertDescription.illegal_parameter);
        Hashtable<Integer, byte[]> two = hello(SRTPProtectionProfile.SRTP_AEAD_AES_128_GCM,
                SRTPProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_80);
        assertAlert(() -> UseSrtp.selected(two, ALL), AlertDescription.illegal_parameter);
        Hashtable<Integer, byte[]> gcm = hello(SRTPProtectionProfile.SRTP_AEAD_AES_128_GCM);
        assertAlert(() -> UseSrtp.selected(gcm, List.of(SrtpProfile.AES128_CM_HMAC_SHA1_80)),
                AlertDescription.illegal_parameter);
        Hashtable<Integer, byte[]> unknown = hello(SRTPProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_32);
        assertAlert(() -> UseSrtp.selected(unknown, ALL), AlertDescription.illegal_parameter);
    }

    private static Hashtable<Integer, byte[]> hello(int... profiles) throws Exception {
        Hashtable<Integer, byte[]> extensions = new Hashtable<>();
        TlsSRTPUtils.addUseSRTPExtension(extensions, new UseSRTPData(profiles, TlsUtils.EMPTY_BYTES));
        return extensions;
    }

    private static void assertAlert(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, short alert) {
        assertThatThrownBy(call).isInstanceOfSatisfying(TlsFatalAlert.class,
                fatal -> assertThat(fatal.getAlertDescription()).isEqualTo(alert));
    }
}
