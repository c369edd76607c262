package dev.parley.client.mls;

import org.bouncycastle.mls.crypto.MlsCipherSuite;

/**
 * The one cipher suite Parley uses: MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519 (0x0001, RFC 9420
 * §17.1). Ed25519 device keys, X25519 HPKE, AES-128-GCM, SHA-256.
 */
final class Suite {
    static final short ID = MlsCipherSuite.MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519;
    static final MlsCipherSuite SUITE = load();

    private Suite() {
    }

    private static MlsCipherSuite load() {
        try {
            return MlsCipherSuite.getSuite(ID);
        } catch (Exception e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
