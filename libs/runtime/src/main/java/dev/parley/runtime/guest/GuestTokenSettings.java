package dev.parley.runtime.guest;

import io.smallrye.config.WithDefault;

import java.time.Duration;

/**
 * Guest-token settings, the same in every service's configuration ({@code parley.<service>.guests.*}):
 * signaling issues guest tokens with them, the other services verify them.
 */
public interface GuestTokenSettings {

    /**
     * The secret from which guest-token signing keys are derived, shared by every replica of every
     * service (in Kubernetes, from one Secret). At least 32 characters; no default outside dev and
     * test, so a deployment without one does not start.
     */
    String tokenSecret();

    /** How long a guest token is valid: a guest must redeem the link again after that. */
    @WithDefault("4h")
    Duration tokenLifetime();

    /** How often the signing key changes. Tokens stay verifiable for one rotation after it. */
    @WithDefault("24h")
    Duration keyRotation();
}
