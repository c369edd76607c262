package dev.parley.presence.state;

import dev.parley.events.Topic;
import dev.parley.events.identity.UserId;
import dev.parley.events.presence.UserPresence;
import dev.parley.runtime.kafka.EventLog;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;


/**
 * Re-evaluates users after anything about them changed, and publishes each change on
 * {@link Topic#PRESENCE} (compacted, keyed by user): the feed subscribers are served from, and
 * the latest presence of everyone for any other consumer.
 */
@ApplicationScoped
public class PresenceUpdates {

    private final PresenceStore store;
    private final EventLog log;
    private final Counter published;

    PresenceUpdates(PresenceStore store, EventLog log, MeterRegistry metrics) {
        this.store = store;
        this.log = log;
        this.published = metrics.counter("parley.presence.changes");
    }

    /** The user's presence now; published if it changed. */
    public UserPresence refresh(UserId user) {
        return apply(user, PresenceStore.Change.NONE);
    }

    /** Applies {@code change} to what is known about {@code user}; publishes the result if it changed. */
    public UserPresence apply(UserId user, PresenceStore.Change change) {
        PresenceStore.Evaluation evaluation = store.evaluate(user, change);
        if (evaluation.changed()) {
            publish(evaluation.presence());
        }
        return evaluation.presence();
    }

    private void publish(UserPresence presence) {
        published.increment();
        log.publish(Topic.PRESENCE, presence.userId().value(), presence);
    }
}
