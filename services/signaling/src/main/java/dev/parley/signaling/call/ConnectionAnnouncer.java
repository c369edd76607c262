package dev.parley.signaling.call;

import dev.parley.events.Topic;
import dev.parley.events.connection.ConnectionEvent;
import dev.parley.signaling.conference.ReplicaId;
import dev.parley.runtime.kafka.EventLog;
import io.quarkus.websockets.next.OpenConnections;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;

/**
 * Tells presence, on {@code parley.connections}, which users hold call connections on this
 * replica: one event when a connection is welcomed and one when it closes.
 */
@ApplicationScoped
public class ConnectionAnnouncer {

    private final EventLog log;
    private final ReplicaId replica;
    private final OpenConnections connections;
    private final Clock clock = Clock.systemUTC();

    ConnectionAnnouncer(EventLog log, ReplicaId replica, OpenConnections connections) {
        this.log = log;
        this.replica = replica;
        this.connections = connections;
    }

    void announce(CallConnection connection, ConnectionEvent.Change change) {
        ConnectionEvent event = new ConnectionEvent(connection.caller().userId(), connection.id(), replica.value(), change,
                clock.instant());
        log.publish(Topic.CONNECTIONS, event.userId().value(), event);
    }

    /**
     * Announces every welcomed connection again: after this replica was taken for dead (a long
     * pause), presence had dropped them.
     */
    public void announceAllAgain() {
        connections.forEach(socket -> {
            CallConnection connection = socket.userData().get(CallConnection.KEY);
            if (connection != null && connection.authenticated()) {
                announce(connection, ConnectionEvent.Change.OPENED);
            }
        });
    }
}
