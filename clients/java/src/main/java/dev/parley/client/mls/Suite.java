package dev.parley.client.mls;

import org.bouncycastle.mls.crypto.MlsCipherSuite;

/**
 * The one cipher suite Parley uses: MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519 (0x0001, RFC 9420
 * §17.1). Ed25519 device keys, X25519 HPKE, AES-128-GCM, SHA-256.
 *
 * <p>bcmls 1.84 keeps one instance of each suite for the whole JVM, and that instance holds one
 * signer and one digest that every operation re-initialises: two threads using MLS at once corrupt
 * each other's signatures and hashes. Every entry point of this package that reaches bcmls holds
 * {@link #LOCK}, so members on different threads (tests, the load tools) stay correct. The lock
 * is that shared suite instance itself, so any other code in the JVM that uses bcmls can take
 * the same lock without depending on this library (the key-distribution service does).
 */
final class Suite {
    static final short ID = MlsCipherSuite.MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519;
    static final MlsCipherSuite SUITE = load();
    /** Held while bcmls works; see above. */
    static final Object LOCK = SUITE;

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
