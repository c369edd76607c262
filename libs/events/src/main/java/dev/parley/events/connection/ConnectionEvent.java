package dev.parley.events.connection;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.parley.events.identity.UserId;

import java.time.Instant;
import java.util.Objects;

/**
 * A call-protocol connection opened (after {@code hello}) or closed, on
 * {@link dev.parley.events.Topic#CONNECTIONS} keyed by user, for presence: a user with an open
 * connection is online, whichever replica holds it.
 *
 * @param replica the signaling replica holding the connection; its heartbeat in Redis says
 *                whether it is alive, so a crashed replica's connections can be expired
 */
public record ConnectionEvent(UserId userId, String connectionId, String replica, Change change, Instant occurredAt) {

    public enum Change {
        @JsonProperty("opened") OPENED,
        @JsonProperty("closed") CLOSED
    }

    public ConnectionEvent {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(connectionId, "connectionId");
        Objects.requireNonNull(replica, "replica");
        Objects.requireNonNull(change, "change");
        Objects.requireNonNull(occurredAt, "occurredAt");
    }
}
