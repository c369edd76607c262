package dev.parley.client.media.srtp;

import org.bouncycastle.tls.SRTPProtectionProfile;
import org.jitsi.srtp.SrtpPolicy;

import java.util.Arrays;
import java.util.Optional;

/**
 * The SRTP protection profiles a client offers in DTLS {@code use_srtp} (RFC 5764 §4.1.2), in the
 * order browsers prefer them: AEAD_AES_128_GCM (RFC 7714 §14.2) first, then
 * AES128_CM_HMAC_SHA1_80 (RFC 5764 §4.1.2).
 */
public enum SrtpProfile {
    AEAD_AES_128_GCM(SRTPProtectionProfile.SRTP_AEAD_AES_128_GCM, 16, 12),
    AES128_CM_HMAC_SHA1_80(SRTPProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_80, 16, 14);

    private final int id;
    private final int keyLength;
    private final int saltLength;

    SrtpProfile(int id, int keyLength, int saltLength) {
        this.id = id;
        this.keyLength = keyLength;
        this.saltLength = saltLength;
    }

    /** The profile's code point in {@code use_srtp}. */
    public int id() {
        return id;
    }

    int keyLength() {
        return keyLength;
    }

    int saltLength() {
        return saltLength;
    }

    /** Bytes to take from the DTLS exporter: both sides' master keys and salts (RFC 5764 §4.2). */
    public int keyingMaterialLength() {
        return 2 * (keyLength + saltLength);
    }

    /**
     * A fresh jitsi-srtp policy (policies are mutable, so each context factory gets its own): GCM
     * authenticates with its 16-byte tag (RFC 7714 §14.2), CM with an 80-bit HMAC-SHA1 tag
     * (RFC 3711 §5.2).
     */
    SrtpPolicy policy() {
        return switch (this) {
            case AEAD_AES_128_GCM -> new SrtpPolicy(SrtpPolicy.AESGCM_ENCRYPTION, keyLength,
                    SrtpPolicy.NULL_AUTHENTICATION, 0, 16, saltLength);
            case AES128_CM_HMAC_SHA1_80 -> new SrtpPolicy(SrtpPolicy.AESCM_ENCRYPTION, keyLength,
                    SrtpPolicy.HMACSHA1_AUTHENTICATION, 20, 10, saltLength);
        };
    }

    /** The profile with this code point, if it is one of ours. */
    public static Optional<SrtpProfile> byId(int id) {
        return Arrays.stream(values()).filter(profile -> profile.id == id).findFirst();
    }

    /** Every profile's code point, most preferred first. */
    public static int[] ids() {
        return Arrays.stream(values()).mapToInt(SrtpProfile::id).toArray();
    }
}
