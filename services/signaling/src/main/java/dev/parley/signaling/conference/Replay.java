package dev.parley.signaling.conference;

import dev.parley.events.Topic;
import dev.parley.events.call.CallEvent;
import dev.parley.events.call.CallEventDeserializer;
import dev.parley.signaling.call.CallConnection;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads back what a resuming participant missed: the room events between the last one its client
 * processed and its resume, straight from the room stream, rendered as that participant would
 * have received them. The topic keeps an hour, far longer than the grace period.
 */
@ApplicationScoped
class Replay {

    private static final Duration DEADLINE = Duration.ofSeconds(5);

    private final String bootstrapServers;
    private final CallEventDeserializer values = new CallEventDeserializer();

    Replay(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    /** The messages for {@code connection} from partition offsets after {@code lastSeq}, before {@code until}. */
    List<String> between(int partition, long lastSeq, long until, CallConnection connection) {
        List<String> missed = new ArrayList<>();
        if (lastSeq + 1 >= until) {
            return missed;
        }
        TopicPartition topicPartition = new TopicPartition(Topic.CALLS.topicName(), partition);
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.CLIENT_ID_CONFIG, "signaling-replay",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.assign(List.of(topicPartition));
            consumer.seek(topicPartition, lastSeq + 1);
            long deadline = System.nanoTime() + DEADLINE.toNanos();
            while (consumer.position(topicPartition) < until && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.offset() >= until || !connection.room().value().equals(record.key())) {
                        continue;
                    }
                    CallEvent event = values.deserialize(record.topic(), record.value());
                    Delivery.Outgoing outgoing = event == null ? null : new Delivery(event, record.offset()).to(connection);
                    if (outgoing != null && outgoing.text() != null) {
                        missed.add(outgoing.text());
                    }
                }
            }
        }
        return missed;
    }
}
