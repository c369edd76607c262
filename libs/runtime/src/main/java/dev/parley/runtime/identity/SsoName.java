package dev.parley.runtime.identity;

import io.quarkus.security.identity.SecurityIdentity;
import org.eclipse.microprofile.jwt.JsonWebToken;

/** The name others see for a signed-in user: the token's {@code name}, else its {@code preferred_username}, else its subject. */
public final class SsoName {

    private SsoName() {
    }

    public static String of(SecurityIdentity identity) {
        String subject = identity.getPrincipal().getName();
        if (identity.getPrincipal() instanceof JsonWebToken jwt) {
            Object shown = jwt.getClaim("name") != null ? jwt.getClaim("name") : jwt.getClaim("preferred_username");
            if (shown != null) {
                return shown.toString();
            }
        }
        return subject;
    }
}
