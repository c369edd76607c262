package dev.parley.signaling.call;

import dev.parley.events.identity.UserId;
import dev.parley.events.room.RoomId;

/**
 * Who a connection belongs to, once {@code hello} proved it.
 *
 * @param verified  an SSO account (true) or a guest (false)
 * @param guestRoom for a guest, the one room they may join; {@code null} for SSO users
 */
public record Caller(UserId userId, String displayName, boolean verified, RoomId guestRoom) {
}
