package dev.parley.runtime.kafka;

import dev.parley.events.Topic;
import dev.parley.events.kafka.JsonEventSerializer;
import dev.parley.runtime.problem.Problem;
import dev.parley.runtime.problem.ProblemException;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;

/**
 * A service's one Kafka producer, for every topic it writes: signaling's systems of record
 * (rooms, invites, admissions) and room stream, presence's changes and rings.
 *
 * <p>A change is accepted only once the broker has acknowledged it with {@code acks=all} from an
 * idempotent producer ({@link #append}): a client that got a success answer never loses it, even
 * if this replica dies the next moment. A plain producer (rather than a messaging channel) is used
 * because callers need the record's position (to keep Redis views in order, or as a {@code seq}).
 */
@ApplicationScoped
public class EventLog {

    private static final Logger LOG = Logger.getLogger(EventLog.class);
    /** How long a change may wait for the broker before it is refused; bounds the REST call too. */
    private static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(10);

    private final KafkaProducer<String, Object> producer;

    EventLog(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
             @ConfigProperty(name = "quarkus.application.name") String service) {
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.CLIENT_ID_CONFIG, service + "-event-log",
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 0,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) DELIVERY_TIMEOUT.toMillis(),
                // Without cached metadata, send() itself waits this long for the broker (default 60 s).
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 5000),
                new StringSerializer(), new JsonEventSerializer<>());
    }

    /**
     * Blocks until the broker has durably accepted {@code event} under {@code key} and returns
     * where it landed. When it cannot (the broker is unreachable past the delivery timeout),
     * nothing was accepted, and the caller is told to retry with a 503 problem.
     */
    public LogPosition append(Topic topic, String key, Object event) {
        try {
            RecordMetadata written = producer.send(new ProducerRecord<>(topic.topicName(), key, event)).get();
            return new LogPosition(written.partition(), written.offset());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable(topic, event, e);
        } catch (ExecutionException | RuntimeException e) {
            throw unavailable(topic, event, e);
        }
    }

    /**
     * Appends {@code event} without waiting: for notices whose loss costs little (connection
     * events, which presence also expires on its own). Failures are logged.
     */
    public void publish(Topic topic, String key, Object event) {
        try {
            producer.send(new ProducerRecord<>(topic.topicName(), key, event), (written, failure) -> {
                if (failure != null) {
                    LOG.warnf("%s was not accepted on %s: %s", event.getClass().getSimpleName(), topic.topicName(),
                            failure.toString());
                }
            });
        } catch (RuntimeException e) {
            LOG.warnf("%s was not sent on %s: %s", event.getClass().getSimpleName(), topic.topicName(), e.toString());
        }
    }

    private static ProblemException unavailable(Topic topic, Object event, Exception cause) {
        LOG.warnf(cause, "%s was not accepted by the broker on %s", event.getClass().getSimpleName(), topic.topicName());
        return new ProblemException(Problem.of("log-unavailable", "Changes cannot be recorded right now",
                Response.Status.SERVICE_UNAVAILABLE, "The event log is unreachable; nothing was changed. Retry shortly."));
    }

    @PreDestroy
    void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
