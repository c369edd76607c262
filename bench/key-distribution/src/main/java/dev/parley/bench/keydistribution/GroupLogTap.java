package dev.parley.bench.keydistribution;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.events.Topic;
import dev.parley.events.room.RoomId;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

/**
 * Reads the group log ({@code parley.groups}) as the replicas do, from its end, and stamps when
 * each record of one room became readable there (on the bench's clock), by type:
 * {@code member-departed} is the service's record of signaling's departure (appended by the
 * replica that consumed the event), {@code handshake-submitted} a member's Commit (appended by the
 * replica that took the POST). With the stream's stamps ({@link StreamObserver}) they split a
 * departure into consuming signaling's event, applying and delivering, and the committer's work.
 */
final class GroupLogTap implements AutoCloseable {

    private record Seen(String type, long at) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String room;
    private final KafkaConsumer<String, String> consumer;
    private final List<Seen> seen = new ArrayList<>();
    private final Thread thread;

    GroupLogTap(String bootstrap, RoomId room) {
        this.room = room.value();
        this.consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.CLIENT_ID_CONFIG, "bench-group-log-tap",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100),
                new StringDeserializer(), new StringDeserializer());
        List<TopicPartition> partitions = IntStream.range(0, Topic.GROUPS.partitions())
                .mapToObj(p -> new TopicPartition(Topic.GROUPS.topicName(), p)).toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position); // Resolve the end now, before anything is measured.
        this.thread = new Thread(this::follow, "group-log-tap");
        thread.setDaemon(true);
        thread.start();
    }

    private void follow() {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    long at = System.nanoTime();
                    if (room.equals(record.key())) {
                        stamp(type(record.value()), at);
                    }
                }
            }
        } catch (WakeupException e) {
            // closing
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    private synchronized void stamp(String type, long at) {
        seen.add(new Seen(type, at));
        notifyAll();
    }

    private static String type(String json) {
        try {
            JsonNode node = JSON.readTree(json);
            return node.path("type").asText("?");
        } catch (Exception e) {
            return "?";
        }
    }

    /** When the first record of {@code type} for the room was readable after {@code since}, waiting up to {@code timeout}. */
    synchronized OptionalLong await(String type, long since, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (Seen record : seen) {
                if (record.type().equals(type) && record.at() >= since) {
                    return OptionalLong.of(record.at());
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return OptionalLong.empty();
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }

    /** When each record of {@code type} for the room readable after {@code since} became so, in log order. */
    synchronized List<Long> all(String type, long since) {
        return seen.stream().filter(record -> record.type().equals(type) && record.at() >= since).map(Seen::at).toList();
    }

    @Override
    public void close() throws InterruptedException {
        consumer.wakeup();
        thread.join(5_000);
    }
}
