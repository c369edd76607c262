package dev.parley.mediarelay.srtp;

import org.bouncycastle.tls.SRTPProtectionProfile;
import org.jitsi.srtp.SrtpPolicy;

import java.util.Arrays;
import java.util.Optional;

/**
 * The SRTP protection profiles the relay negotiates in DTLS {@code use_srtp} (RFC 5764 §4.1.2), in
 * order of preference: AEAD first (RFC 7714 §14.2), the HMAC-SHA1 profile that every browser still
 * offers second.
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

    public int keyLength() {
        return keyLength;
    }

    public int saltLength() {
        return saltLength;
    }

    /** How many bytes to take from the DTLS exporter: both sides' keys and salts (RFC 5764 §4.2). */
    public int keyingMaterialLength() {
        return 2 * (keyLength + saltLength);
    }

    /**
     * A fresh jitsi-srtp policy for this profile; policies are mutable, so each context gets its own.
     * GCM authenticates with its 16-byte tag (RFC 7714 §14.2), CM with an 80-bit HMAC-SHA1 tag.
     */
    public SrtpPolicy policy() {
        return switch (this) {
            case AEAD_AES_128_GCM -> new SrtpPolicy(SrtpPolicy.AESGCM_ENCRYPTION, keyLength,
                    SrtpPolicy.NULL_AUTHENTICATION, 0, 16, saltLength);
            case AES128_CM_HMAC_SHA1_80 -> new SrtpPolicy(SrtpPolicy.AESCM_ENCRYPTION, keyLength,
                    SrtpPolicy.HMACSHA1_AUTHENTICATION, 20, 10, saltLength);
        };
    }

    /** The most preferred of our profiles that the peer offered, if any. */
    public static Optional<SrtpProfile> choose(int[] offered) {
        for (SrtpProfile profile : values()) {
            if (Arrays.stream(offered).anyMatch(id -> id == profile.id)) {
                return Optional.of(profile);
            }
        }
        return Optional.empty();
    }

    /** Our profiles' code points, most preferred first, for a client's {@code use_srtp} offer. */
    public static int[] ids() {
        return Arrays.stream(values()).mapToInt(SrtpProfile::id).toArray();
    }
}
