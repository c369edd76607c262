package dev.parley.signaling.identity;

import dev.parley.events.identity.UserId;
import dev.parley.events.room.RoomId;
import dev.parley.runtime.guest.GuestAuthenticationMechanism;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.RequestScoped;

import java.util.Optional;

/**
 * Who is making the current request: the {@code sub} of their verified Keycloak token, or the
 * guest id of their verified guest token.
 */
@RequestScoped
public class CurrentUser {

    private final SecurityIdentity identity;

    CurrentUser(SecurityIdentity identity) {
        this.identity = identity;
    }

    public UserId id() {
        return new UserId(identity.getPrincipal().getName());
    }

    public boolean hasRole(String role) {
        return identity.hasRole(role);
    }

    /** For a guest, the one room their token admits them to; empty for signed-in users. */
    public Optional<RoomId> guestRoom() {
        return Optional.ofNullable(identity.<RoomId>getAttribute(GuestAuthenticationMechanism.ROOM_ATTRIBUTE));
    }
}
