package dev.parley.keydistribution.identity;

import dev.parley.events.identity.UserId;
import dev.parley.events.room.RoomId;
import dev.parley.runtime.guest.GuestAuthenticationMechanism;
import io.quarkus.security.identity.SecurityIdentity;

import java.util.Optional;

/**
 * Who is calling: an SSO user (the token's subject) or a guest, whose identity is scoped to one
 * room.
 */
public record Caller(UserId userId, Optional<RoomId> guestRoom) {

    public static Caller of(SecurityIdentity identity) {
        UserId user = new UserId(identity.getPrincipal().getName());
        if (identity.hasRole(GuestAuthenticationMechanism.ROLE)) {
            return new Caller(user, Optional.of(identity.getAttribute(GuestAuthenticationMechanism.ROOM_ATTRIBUTE)));
        }
        return new Caller(user, Optional.empty());
    }

    /** Whether this caller may act in {@code room}: anyone signed in may ask; a guest only in theirs. */
    public boolean mayActIn(RoomId room) {
        return guestRoom.map(room::equals).orElse(true);
    }
}
