package dev.parley.runtime.guest;

import dev.parley.events.identity.UserId;
import dev.parley.events.room.RoomId;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A guest: a person without an account, known only by the display name they typed, and admitted
 * to exactly one room. Their user id starts with {@code guest:} so that it can never collide with
 * a Keycloak subject and every client can show them as unverified.
 */
public record GuestIdentity(UserId userId, String displayName, RoomId roomId) {

    public static final String ID_PREFIX = "guest:";
    public static final int MAX_NAME_LENGTH = 64;

    public GuestIdentity {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(displayName, "displayName");
        Objects.requireNonNull(roomId, "roomId");
        if (!userId.value().startsWith(ID_PREFIX)) {
            throw new IllegalArgumentException("a guest's user id starts with " + ID_PREFIX);
        }
    }

    /** A new guest with a fresh random id. */
    public static GuestIdentity create(String displayName, RoomId roomId, SecureRandom random) {
        byte[] id = new byte[12];
        random.nextBytes(id);
        return new GuestIdentity(new UserId(ID_PREFIX + HexFormat.of().formatHex(id)), displayName, roomId);
    }
}
