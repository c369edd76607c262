package dev.parley.media.srtp;

import org.bouncycastle.tls.SRTPProtectionProfile;
import org.jitsi.srtp.SrtpPolicy;

import java.util.Arrays;
import java.util.Optional;

/**
 * The SRTP protection profiles negotiated in DTLS {@code use_srtp} (RFC 5764 §4.1.2), in order of
 * preference, which is the order browsers prefer them too: AEAD_AES_128_GCM (RFC 7714 §14.2)
 * first, then AES128_CM_HMAC_SHA1_80 (RFC 5764 §4.1.2), which every browser still offers. The
 * relay chooses from a client's offer with {@link #choose}; the client reads the relay's choice
 * with {@link #byId}. {@link dev.parley.media.dtls.UseSrtp} carries them in the handshake.
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
     * A fresh jitsi-srtp policy for this profile; policies are mutable, so each context factory gets
     * its own. GCM authenticates with its 16-byte tag (RFC 7714 §14.2), CM with an 80-bit HMAC-SHA1
     * tag (RFC 3711 §5.2).
     */
    public SrtpPolicy policy() {
        return switch (this) {
            case AEAD_AES_128_GCM -> new SrtpPolicy(SrtpPolicy.AESGCM_ENCRYPTION, keyLength,
                    SrtpPolicy.NULL_AUTHENTICATION, 0, 16, saltLength);
            case AES128_CM_HMAC_SHA1_80 -> new SrtpPolicy(SrtpPolicy.AESCM_ENCRYPTION, keyLength,
                    SrtpPolicy.HMACSHA1_AUTHENTICATION, 20, 10, saltLength);
        };
    }

    /** The most preferred of our profiles that the peer offered, if any (the DTLS server's choice). */
    public static Optional<SrtpProfile> choose(int[] offered) {
        for (SrtpProfile profile : values()) {
            if (Arrays.stream(offered).anyMatch(id -> id == profile.id)) {
                return Optional.of(profile);
            }
        }
        return Optional.empty();
    }

    /** The profile with this code point, if it is one of ours (what the DTLS client reads back). */
    public static Optional<SrtpProfile> byId(int id) {
        return Arrays.stream(values()).filter(profile -> profile.id == id).findFirst();
    }
}
