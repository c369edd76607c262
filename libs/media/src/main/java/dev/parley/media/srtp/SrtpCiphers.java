package dev.parley.media.srtp;

import org.jitsi.srtp.crypto.Aes;

import java.util.List;

/**
 * Chooses jitsi-srtp's AES implementations ahead of the first SRTP context.
 *
 * <p>jitsi-srtp picks, per cipher transformation, the fastest of the providers it can load
 * (its bundled OpenSSL binding, SunJCE, Bouncy Castle) by timing thousands of encryptions the
 * first time the transformation is asked for. That costs seconds of CPU, and it would fall on
 * whichever thread keys the first DTLS-SRTP session, in the middle of a call's set-up: on a
 * loaded machine the relay then misses heartbeats and its first participants wait. A process that
 * will carry SRTP calls {@link #choose} once at start instead; the choice is cached for the
 * process's life, so every later context is created without a benchmark.
 */
public final class SrtpCiphers {

    /**
     * What the contexts of {@link SrtpProfile}'s profiles ask jitsi-srtp for: AES-GCM
     * (AEAD_AES_128_GCM, RFC 7714 §8), AES counter mode (AES128_CM_HMAC_SHA1_80, RFC 3711 §4.1.1)
     * and the single-block AES that key derivation and counter mode use (RFC 3711 §4.3).
     */
    private static final List<String> TRANSFORMATIONS =
            List.of("AES/GCM/NoPadding", "AES/CTR/NoPadding", "AES/ECB/NoPadding");

    private SrtpCiphers() {
    }

    /** Benchmarks and caches jitsi-srtp's choice for every transformation SRTP uses here. */
    public static void choose() {
        TRANSFORMATIONS.forEach(Aes::createCipher);
    }
}
