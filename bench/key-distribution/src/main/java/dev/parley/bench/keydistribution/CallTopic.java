package dev.parley.bench.keydistribution;

import dev.parley.events.Topic;
import dev.parley.events.call.CallEvent;
import dev.parley.events.call.CallEvents;
import dev.parley.events.call.CallParticipant;
import dev.parley.events.call.CallRole;
import dev.parley.events.call.ParticipantId;
import dev.parley.events.identity.UserId;
import dev.parley.events.kafka.JsonEventSerializer;
import dev.parley.events.room.RoomId;
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
 * Calls as signaling reports them ({@code ParticipantJoined}, {@code ParticipantLeft},
 * {@code CallEnded}, JSON, keyed by room), published the way {@code CallFixture} of the service's
 * tests does, so the bench needs no signaling. They go to a topic of the bench's own, read by the
 * bench replicas instead of {@code parley.calls} (in a consumer group of their own): the bench's
 * calls never reach another key-distribution service on this machine (the one of {@code make run}
 * or of the tests), and a departure in theirs never becomes a second, late record in the bench's
 * groups or the other way round. The topic has {@code parley.calls}' 12 partitions; the replicas
 * read it with the service's own consumer settings, so the path a departure takes is the same.
 */
final class CallTopic implements AutoCloseable {

    private final String topic;
    private final Admin admin;
    private final KafkaProducer<String, Object> producer;

    CallTopic(String bootstrap, String topic) {
        if (!topic.startsWith("parley.bench.")) {
            throw new IllegalArgumentException("the bench's calls topic must be named parley.bench.*: " + topic);
        }
        this.topic = topic;
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
        // As signaling's EventLog: acks=all, no linger, so a publish returns when the broker has it.
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 0),
                new StringSerializer(), new JsonEventSerializer<>());
    }

    String name() {
        return topic;
    }

    /** Creates the topic (as many partitions as {@code parley.calls}, kept an hour) unless it exists. */
    void create() throws InterruptedException, ExecutionException {
        try {
            admin.createTopics(List.of(new NewTopic(topic, Topic.CALLS.partitions(), (short) 1)
                    .configs(Map.of("retention.ms", "3600000")))).all().get();
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
    }

    /** Deletes the topic (only ever the bench's own, see the constructor). */
    void delete() {
        try {
            admin.deleteTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            System.err.println("[bench] could not delete topic " + topic + ": " + e);
        }
    }

    /** {@code user} joined {@code room}'s call as {@code participant}; returns once the broker has it. */
    void joined(RoomId room, ParticipantId participant, UserId user) {
        publish(new CallEvents.ParticipantJoined(room, new CallParticipant(participant, user, "Bench", true,
                CallRole.PARTICIPANT, false, Instant.now()), Instant.now()));
    }

    /** {@code participant} left {@code room}'s call (timed out, as a crashed client would); returns once the broker has it. */
    void left(RoomId room, ParticipantId participant, UserId user) {
        publish(new CallEvents.ParticipantLeft(room, participant, user, CallEvents.LeaveReason.TIMED_OUT, null, Instant.now()));
    }

    /** {@code room}'s call is over: the service closes its group. */
    void ended(RoomId room, UserId by) {
        publish(new CallEvents.CallEnded(room, by, Instant.now()));
    }

    private void publish(CallEvent event) {
        try {
            producer.send(new ProducerRecord<>(topic, event.roomId().value(), event)).get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (Exception e) {
            throw new IllegalStateException("could not publish " + event.getClass().getSimpleName(), e);
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
        admin.close(Duration.ofSeconds(5));
    }
}
