package dev.parley.media.srtp;

import java.util.Arrays;
import java.util.Objects;

/**
 * The SRTP master keys and salts of one DTLS-SRTP association, split from the DTLS exporter output
 * with label {@code EXTRACTOR-dtls_srtp} in the order RFC 5764 §4.2 fixes: client key, server key,
 * client salt, server salt.
 */
public final class SrtpKeys {

    /** The exporter label of RFC 5764 §4.2. */
    public static final String EXPORTER_LABEL = "EXTRACTOR-dtls_srtp";

    private final SrtpProfile profile;
    private final byte[] clientKey;
    private final byte[] serverKey;
    private final byte[] clientSalt;
    private final byte[] serverSalt;

    private SrtpKeys(SrtpProfile profile, byte[] material) {
        this.profile = profile;
        int k = profile.keyLength();
        int s = profile.saltLength();
        clientKey = Arrays.copyOfRange(material, 0, k);
        serverKey = Arrays.copyOfRange(material, k, 2 * k);
        clientSalt = Arrays.copyOfRange(material, 2 * k, 2 * k + s);
        serverSalt = Arrays.copyOfRange(material, 2 * k + s, 2 * k + 2 * s);
    }

    /** Splits {@code material}, which must be {@link SrtpProfile#keyingMaterialLength()} bytes. */
    public static SrtpKeys fromKeyingMaterial(SrtpProfile profile, byte[] material) {
        Objects.requireNonNull(profile, "profile");
        if (material == null || material.length != profile.keyingMaterialLength()) {
            throw new IllegalArgumentException("expected " + profile.keyingMaterialLength() + " bytes of keying material");
        }
        return new SrtpKeys(profile, material);
    }

    public SrtpProfile profile() {
        return profile;
    }

    byte[] writeKey(boolean client) {
        return (client ? clientKey : serverKey).clone();
    }

    byte[] writeSalt(boolean client) {
        return (client ? clientSalt : serverSalt).clone();
    }

    @Override
    public String toString() {
        return "SrtpKeys[" + profile + "]";
    }
}
