package dev.parley.signaling.conference;

import dev.parley.events.Topic;
import dev.parley.events.call.CallEvent;
import dev.parley.events.call.CallEventDeserializer;
import dev.parley.events.call.CallEvents.RoleChanged;
import dev.parley.events.call.CallEvents.ParticipantResumed;
import dev.parley.signaling.call.CallConnection;
import dev.parley.signaling.call.CloseCodes;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Delivers the room stream to this replica's members, on a thread of its own.
 *
 * <p>Every replica reads every partition of {@link Topic#CALLS} (no consumer group: a group would
 * split the rooms between replicas, but each replica needs the rooms its members are in, which can
 * be any). It starts at the end: a replica that has just started has no members yet. One thread
 * reads one partition's records in order, so each member gets its room's events in stream order.
 * After a failure it resumes where it stopped, so members miss nothing that the broker kept.
 */
@Readiness
@ApplicationScoped
public class CallStreamFollower implements HealthCheck {

    private static final Logger LOG = Logger.getLogger(CallStreamFollower.class);

    private final LocalMembers members;
    private final KafkaConsumer<String, byte[]> consumer;
    private final CallEventDeserializer values = new CallEventDeserializer();
    private final Map<TopicPartition, Long> next = new HashMap<>();
    private final Thread thread = new Thread(this::run, "call-stream");
    private volatile boolean following;
    private volatile boolean running = true;

    CallStreamFollower(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers, LocalMembers members) {
        this.members = members;
        this.consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.CLIENT_ID_CONFIG, "signaling-call-stream",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                // Records are handed over as soon as they exist; this only bounds an idle poll.
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100),
                new StringDeserializer(), new ByteArrayDeserializer());
        thread.setDaemon(true);
    }

    void start(@Observes StartupEvent started) {
        thread.start();
    }

    void stop(@Observes ShutdownEvent stopping) throws InterruptedException {
        running = false;
        consumer.wakeup();
        thread.join(Duration.ofSeconds(5).toMillis());
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("Room stream").status(following).build();
    }

    private void run() {
        try {
            while (running) {
                try {
                    follow();
                } catch (WakeupException e) {
                    throw e;
                } catch (RuntimeException e) {
                    following = false;
                    LOG.warnf("following %s failed (%s); starting over", Topic.CALLS.topicName(), e.toString());
                    pause();
                }
            }
        } catch (WakeupException e) {
            // stop() asked us to.
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    private void follow() {
        List<PartitionInfo> infos = consumer.partitionsFor(Topic.CALLS.topicName(), Duration.ofSeconds(5));
        if (infos.isEmpty()) {
            throw new IllegalStateException("topic " + Topic.CALLS.topicName() + " does not exist");
        }
        List<TopicPartition> partitions = infos.stream().map(info -> new TopicPartition(info.topic(), info.partition())).toList();
        consumer.assign(partitions);
        for (TopicPartition partition : partitions) {
            Long position = next.get(partition);
            if (position == null) {
                consumer.seekToEnd(List.of(partition));
                next.put(partition, consumer.position(partition));
            } else {
                consumer.seek(partition, position);
            }
        }
        following = true;
        while (running) {
            for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                dispatch(record);
                next.put(new TopicPartition(record.topic(), record.partition()), record.offset() + 1);
            }
        }
    }

    private void dispatch(ConsumerRecord<String, byte[]> record) {
        CallEvent event;
        try {
            event = values.deserialize(record.topic(), record.value());
        } catch (RuntimeException e) {
            LOG.warnf("skipping unreadable record %s-%d@%d: %s", record.topic(), record.partition(), record.offset(), e.getMessage());
            return;
        }
        if (event == null) {
            return;
        }
        Delivery delivery = new Delivery(event, record.offset());
        for (CallConnection connection : members.of(event.roomId())) {
            try {
                deliver(delivery, connection);
            } catch (RuntimeException e) {
                LOG.warnf(e, "delivering %s to %s failed", event.getClass().getSimpleName(), connection.id());
            }
        }
    }

    private void deliver(Delivery delivery, CallConnection connection) {
        CallEvent event = delivery.event();
        if (event instanceof ParticipantResumed resumed && resumed.participantId().equals(connection.participantId())
                && connection.readyBefore(delivery.seq())) {
            // The participant took their place back on another connection: this one is stale.
            members.remove(event.roomId(), connection);
            connection.close(CloseCodes.RESUMED_ELSEWHERE);
            return;
        }
        if (event instanceof RoleChanged changed && changed.participantId().equals(connection.participantId())) {
            connection.role(changed.role());
        }
        boolean admitted = delivery.admits(connection);
        boolean waiting = connection.place() == CallConnection.Place.LOBBY;
        Delivery.Outgoing outgoing = delivery.to(connection);
        if (outgoing == null) {
            return;
        }
        if (admitted) {
            members.remove(event.roomId(), connection);
            connection.leaveRoom();
        }
        if (outgoing.closeCode() != 0) {
            members.remove(event.roomId(), connection);
        }
        if (waiting) {
            if (outgoing.closeCode() != 0) {
                connection.sendAndClose(outgoing.text(), outgoing.closeCode());
            } else {
                connection.send(outgoing.text());
            }
        } else {
            connection.deliver(delivery.seq(), outgoing.text(), outgoing.closeCode());
        }
    }

    private void pause() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }
}
