package dev.parley.events.presence;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.parley.events.identity.UserId;

import java.time.Instant;
import java.util.Objects;

/**
 * A user's presence as everyone else sees it, and the record of {@link dev.parley.events.Topic#PRESENCE}
 * (compacted, keyed by user id).
 *
 * @param status  {@code offline}, {@code away}, {@code online}, {@code busy} or {@code in-call}
 * @param roomId  the room of the call, when {@code in-call}
 * @param devices how many of the user's devices are present
 * @param since   when the user entered this state
 * @param version grows with every change of this user's presence; a consumer keeps the highest
 *                it has seen, since two presence replicas may publish close changes out of order
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record UserPresence(UserId userId, String status, String roomId, int devices, Instant since, long version) {

    public UserPresence {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(status, "status");
    }

    public static UserPresence offline(UserId userId) {
        return new UserPresence(userId, "offline", null, 0, null, 0);
    }
}
