package dev.parley.signaling.room;

import dev.parley.events.room.RoomEvent;
import dev.parley.events.room.RoomState;

/**
 * A recorded room change, fired as a synchronous CDI event while the room's lock is still held, so
 * that the live call can follow it (a lock, an end) in the same order as the room log.
 *
 * @param before the state before the change; {@code null} for a new room
 */
public record RoomChange(RoomState before, RoomEvent event) {
}
