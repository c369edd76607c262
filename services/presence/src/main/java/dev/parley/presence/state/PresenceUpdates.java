package dev.parley.presence.state;

import dev.parley.events.Topic;
import dev.parley.events.identity.UserId;
import dev.parley.events.kafka.JsonEventSerializer;
import dev.parley.events.presence.UserPresence;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Map;

/**
 * Re-evaluates users after anything about them changed, and publishes each change on
 * {@link Topic#PRESENCE} (compacted, keyed by user): the feed subscribers are served from, and
 * the latest presence of everyone for any other consumer.
 */
@ApplicationScoped
public class PresenceUpdates {

    private static final Logger LOG = Logger.getLogger(PresenceUpdates.class);

    private final PresenceStore store;
    private final KafkaProducer<String, Object> producer;
    private final Counter published;

    PresenceUpdates(PresenceStore store, @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
                    MeterRegistry metrics) {
        this.store = store;
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.CLIENT_ID_CONFIG, "presence-updates",
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 0,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 5000),
                new StringSerializer(), new JsonEventSerializer<>());
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
        producer.send(new ProducerRecord<>(Topic.PRESENCE.topicName(), presence.userId().value(), presence),
                (written, failure) -> {
                    if (failure != null) {
                        LOG.warnf("presence of %s not published: %s", presence.userId(), failure.toString());
                    }
                });
    }

    @PreDestroy
    void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
