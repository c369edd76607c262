package dev.parley.presence.device;

import dev.parley.events.identity.UserId;

/**
 * A user's presence as others see it.
 *
 * @param devices how many of the user's devices are present
 */
public record UserPresence(UserId userId, Status status, int devices) {
}
