package dev.parley.signaling.guest;

import dev.parley.signaling.SignalingConfig;
import dev.parley.runtime.guest.GuestAuthenticationMechanism;
import dev.parley.runtime.guest.GuestTokens;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import java.time.Clock;

/** Builds the replica's {@link GuestTokens} from configuration, and the mechanism that checks them. */
@ApplicationScoped
public class GuestTokensProducer {

    @Produces
    @ApplicationScoped
    GuestTokens guestTokens(SignalingConfig config) {
        return new GuestTokens(config.guests(), Clock.systemUTC());
    }

    /** Lets guest tokens through as bearer tokens, before Keycloak validation. */
    @Produces
    @ApplicationScoped
    HttpAuthenticationMechanism guestAuthentication(GuestTokens tokens) {
        return new GuestAuthenticationMechanism(tokens);
    }
}
