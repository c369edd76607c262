package dev.parley.signaling.conference;

import dev.parley.events.identity.UserId;

import java.time.Instant;

/** Someone waiting in a room's lobby on a live connection, as kept in Redis and shown to hosts. */
record LobbyEntry(UserId userId, String displayName, Instant since, String replica, String connectionId) {
}
