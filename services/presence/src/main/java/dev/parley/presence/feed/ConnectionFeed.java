package dev.parley.presence.feed;

import dev.parley.events.connection.ConnectionEvent;
import dev.parley.presence.state.PresenceStore.Change;
import dev.parley.presence.state.PresenceUpdates;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.util.List;

/**
 * Signaling's call connections ({@code parley.connections}): a user with an open connection is
 * online on that device for as long as the connection's replica is alive.
 */
@ApplicationScoped
public class ConnectionFeed {

    private final PresenceUpdates updates;

    ConnectionFeed(PresenceUpdates updates) {
        this.updates = updates;
    }

    @Incoming("connections")
    @Blocking(ordered = true)
    public void on(List<ConnectionEvent> batch) {
        batch.forEach(this::apply);
    }

    private void apply(ConnectionEvent event) {
        if (event == null) {
            return;
        }
        updates.apply(event.userId(), switch (event.change()) {
            case OPENED -> Change.connectionOpened(event.userId(), event.connectionId(), event.replica());
            case CLOSED -> Change.connectionClosed(event.userId(), event.connectionId());
        });
    }
}
