package dev.parley.mediarelay.dtls;

import dev.parley.media.dtls.DtlsIdentity;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.security.SecureRandom;
import java.time.Duration;

/**
 * The relay's DTLS identity, made at start-up: one self-signed certificate for every session of
 * this process (RFC 8827 §6.5 pins it by fingerprint), valid for longer than a relay runs.
 */
@Singleton
class RelayIdentity {

    private static final Duration VALIDITY = Duration.ofDays(365);

    @Produces
    @Singleton
    DtlsIdentity identity() {
        return DtlsIdentity.generate("parley-media-relay", VALIDITY, new SecureRandom());
    }
}
