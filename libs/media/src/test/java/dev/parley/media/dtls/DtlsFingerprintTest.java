package dev.parley.media.dtls;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DtlsFingerprintTest {

    private static final String EMPTY_SHA_256 = "E3:B0:C4:42:98:FC:1C:14:9A:FB:F4:C8:99:6F:B9:24:"
            + "27:AE:41:E4:64:9B:93:4C:A4:95:99:1B:78:52:B8:55";

    @Test
    void sha256IsTheUpperCaseColonSeparatedHashAndItsSdpValue() {
        DtlsFingerprint fingerprint = DtlsFingerprint.sha256(new byte[0]);
        assertThat(fingerprint.algorithm()).isEqualTo("sha-256");
        assertThat(fingerprint.value()).isEqualTo(EMPTY_SHA_256);
        assertThat(fingerprint.sdpValue()).isEqualTo("sha-256 " + EMPTY_SHA_256);
    }

    @Test
    void whatSdpCarriesIsNormalisedBeforeComparing() {
        assertThat(new DtlsFingerprint("SHA-256", EMPTY_SHA_256.toLowerCase()))
                .isEqualTo(DtlsFingerprint.sha256(new byte[0]));
    }

    @Test
    void onlySha256WithThirtyTwoBytesIsAccepted() {
        assertThatThrownBy(() -> new DtlsFingerprint("sha-1", EMPTY_SHA_256.substring(0, 59)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DtlsFingerprint("sha-256", EMPTY_SHA_256.substring(3)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DtlsFingerprint("sha-256", EMPTY_SHA_256.replace(':', '-')))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DtlsFingerprint(null, EMPTY_SHA_256)).isInstanceOf(NullPointerException.class);
    }
}
