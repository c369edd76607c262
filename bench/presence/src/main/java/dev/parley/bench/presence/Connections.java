package dev.parley.bench.presence;

import dev.parley.bench.common.Replica;
import dev.parley.events.connection.ConnectionEvent;
import dev.parley.events.identity.UserId;
import dev.parley.events.kafka.JsonEventSerializer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Call connections as signaling announces them ({@code ConnectionEvent}, JSON, keyed by user), on
 * a topic of the bench's own that the bench replicas read instead of {@code parley.connections}:
 * the bench's hundred thousand users never reach a presence service outside the bench. A user's
 * connection counts while {@code parley:replica:<replica>} exists, which the bench writes itself.
 */
final class Connections implements AutoCloseable {

    static final String REPLICA = "bench-signaling";

    private final String topic;
    private final KafkaProducer<String, Object> producer;
    private final Admin admin;

    Connections(String bootstrap, String topic) {
        this.topic = topic;
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "1",
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024),
                new StringSerializer(), new JsonEventSerializer<>());
    }

    /** Creates the bench's topic (6 partitions, as {@code parley.connections}) unless it exists. */
    void createTopic() throws InterruptedException, ExecutionException {
        try {
            admin.createTopics(List.of(new NewTopic(topic, 6, (short) 1)
                    .configs(Map.of("retention.ms", "3600000")))).all().get();
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
    }

    /** Deletes the bench's topic (never another). */
    void deleteTopic() {
        if (!topic.startsWith("parley.bench.")) {
            throw new IllegalStateException("not the bench's topic: " + topic);
        }
        try {
            admin.deleteTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            System.err.println("[bench] could not delete topic " + topic + ": " + e);
        }
    }

    /** Publishes one event per user ({@code users[from..to)}), all opened or all closed; waits until written. */
    void publish(List<String> users, ConnectionEvent.Change change) {
        Instant now = Instant.now();
        for (String user : users) {
            producer.send(new ProducerRecord<>(topic, user,
                    new ConnectionEvent(new UserId(user), "c-" + user, REPLICA, change, now)));
        }
        producer.flush();
    }

    /**
     * Waits until the replicas have published {@code expected} more changes than {@code before};
     * returns the seconds from {@code startedNanos} until then.
     */
    static double awaitChanges(List<Replica> replicas, double before, long expected, long startedNanos, Duration timeout)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        double seen = 0;
        while (System.nanoTime() < deadline) {
            seen = Rest.changes(replicas) - before;
            if (seen >= expected) {
                return (System.nanoTime() - startedNanos) / 1e9;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("only " + (long) seen + " of " + expected + " changes within " + timeout);
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
        admin.close(Duration.ofSeconds(5));
    }
}
