package dev.parley.keydistribution.guest;

import dev.parley.keydistribution.KeyDistributionConfig;
import dev.parley.runtime.guest.GuestAuthenticationMechanism;
import dev.parley.runtime.guest.GuestTokens;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import java.time.Clock;

/**
 * Guests in key distribution: their tokens (signed by signaling with the shared secret) are
 * accepted; a guest's device identity is scoped to the one room the token names.
 */
@ApplicationScoped
public class GuestAccess {

    @Produces
    @ApplicationScoped
    GuestTokens guestTokens(KeyDistributionConfig config) {
        return new GuestTokens(config.guests(), Clock.systemUTC());
    }

    @Produces
    @ApplicationScoped
    HttpAuthenticationMechanism guestAuthentication(GuestTokens tokens) {
        return new GuestAuthenticationMechanism(tokens);
    }
}
