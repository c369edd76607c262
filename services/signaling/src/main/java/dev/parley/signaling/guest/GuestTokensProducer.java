package dev.parley.signaling.guest;

import dev.parley.signaling.SignalingConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import java.time.Clock;

/** Builds the replica's {@link GuestTokens} from configuration. */
@ApplicationScoped
public class GuestTokensProducer {

    @Produces
    @ApplicationScoped
    GuestTokens guestTokens(SignalingConfig config) {
        SignalingConfig.Guests guests = config.guests();
        return new GuestTokens(guests.tokenSecret(), guests.tokenLifetime(), guests.keyRotation(), Clock.systemUTC());
    }
}
