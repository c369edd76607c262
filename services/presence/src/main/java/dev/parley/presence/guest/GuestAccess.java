package dev.parley.presence.guest;

import dev.parley.events.identity.UserId;
import dev.parley.events.room.RoomId;
import dev.parley.presence.PresenceConfig;
import dev.parley.presence.state.PresenceStore;
import dev.parley.runtime.guest.GuestAuthenticationMechanism;
import dev.parley.runtime.guest.GuestTokens;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import java.time.Clock;
import java.util.Optional;

/**
 * Guests in presence: their tokens (signed by signaling with the shared secret) are accepted,
 * and they see only themselves and the people in the call of their one room, never the realm.
 */
@ApplicationScoped
public class GuestAccess {

    private final PresenceStore store;

    GuestAccess(PresenceStore store) {
        this.store = store;
    }

    @Produces
    @ApplicationScoped
    GuestTokens guestTokens(PresenceConfig config) {
        // Presence only verifies guest tokens; the lifetime matters to the issuer, signaling.
        return new GuestTokens(config.guests(), Clock.systemUTC());
    }

    @Produces
    @ApplicationScoped
    HttpAuthenticationMechanism guestAuthentication(GuestTokens tokens) {
        return new GuestAuthenticationMechanism(tokens);
    }

    /**
     * Whether a caller may see {@code user}: anyone signed in may; a guest ({@code guestRoom}
     * present) may see themselves and whoever is in their room's call now.
     */
    public boolean maySee(UserId caller, Optional<RoomId> guestRoom, UserId user) {
        return guestRoom.isEmpty() || caller.equals(user)
                || store.inRoom(guestRoom.get()).containsValue(user.value());
    }
}
