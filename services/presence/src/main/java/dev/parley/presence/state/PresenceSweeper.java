package dev.parley.presence.state;

import dev.parley.presence.PresenceConfig;
import dev.parley.presence.ring.Rings;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Publishes the changes nobody announces: a device whose heartbeats stopped, every connection
 * of a signaling replica that stopped beating, and rings nobody answered. Runs on every replica; evaluating a user twice is
 * harmless (the second finds nothing changed).
 */
@ApplicationScoped
class PresenceSweeper {

    private static final Logger LOG = Logger.getLogger(PresenceSweeper.class);

    private final PresenceStore store;
    private final PresenceUpdates updates;
    private final Rings rings;
    private final long periodMillis;
    private final Clock clock = Clock.systemUTC();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "presence-sweeper");
        thread.setDaemon(true);
        return thread;
    });

    PresenceSweeper(PresenceStore store, PresenceUpdates updates, Rings rings, PresenceConfig config) {
        this.store = store;
        this.updates = updates;
        this.rings = rings;
        this.periodMillis = config.sweepInterval().toMillis();
    }

    void start(@Observes StartupEvent started) {
        timer.scheduleWithFixedDelay(this::sweep, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent stopping) {
        timer.shutdownNow();
    }

    private void sweep() {
        try {
            store.dueForExpiry(clock.millis()).forEach(updates::refresh);
            rings.timeOutDue();
            for (String replica : store.replicasWithConnections()) {
                store.takeUsersOfDeadReplica(replica).ifPresent(users -> {
                    LOG.infof("signaling replica %s stopped; re-evaluating its %d users", replica, users.size());
                    users.forEach(updates::refresh);
                });
            }
        } catch (RuntimeException e) {
            LOG.warnf("presence sweep failed (%s); next one soon", e.toString());
        }
    }

}
