package dev.parley.runtime.kafka;

import dev.parley.events.Topic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Reads everything new on one topic, every partition, without a consumer group, on a thread of
 * its own: for a replica that must see every record to serve its own connections (signaling's
 * room stream, presence's changes and rings), where a group would split the records between
 * replicas. Starts at the end (connections want what happens from now on) and, after a failure,
 * resumes where it stopped, so nothing the broker kept is missed. One partition's records are
 * handed over in order.
 *
 * <p>A tail given {@link Positions} instead starts where it last noted progress, or at the
 * beginning of what the broker keeps, and notes progress after each batch; a record its handler
 * fails on is tried again rather than skipped: for a follower whose work is to apply every record
 * exactly in order (key distribution's group log).
 *
 * @param <T> the topic's records
 */
public final class TopicTail<T> implements AutoCloseable {

    /** Takes one record's value and its offset in its partition. */
    @FunctionalInterface
    public interface Handler<T> {
        void accept(T value, long offset);
    }

    /** Takes one record's value with its partition and offset. */
    @FunctionalInterface
    public interface LocatedHandler<T> {
        void accept(T value, int partition, long offset);
    }

    /** Where each partition was handled up to, kept outside the process. */
    public interface Positions {

        /** The next offset to hand over in {@code partition}; empty to start at the earliest kept. */
        OptionalLong load(int partition);

        /** Every record of {@code partition} before {@code next} has been handled. */
        void save(int partition, long next);
    }

    private static final Logger LOG = Logger.getLogger(TopicTail.class);

    private final Topic topic;
    private final Deserializer<T> values;
    private final LocatedHandler<T> handler;
    private final Positions positions;
    private final KafkaConsumer<String, byte[]> consumer;
    private final Map<TopicPartition, Long> next = new HashMap<>();
    private final Thread thread;
    private volatile boolean following;
    private volatile boolean running = true;

    public TopicTail(String bootstrapServers, String clientId, Topic topic, Deserializer<T> values, Handler<T> handler) {
        this(bootstrapServers, clientId, topic, values, (value, partition, offset) -> handler.accept(value, offset), null);
    }

    public TopicTail(String bootstrapServers, String clientId, Topic topic, Deserializer<T> values,
                     LocatedHandler<T> handler, Positions positions) {
        this.topic = topic;
        this.values = values;
        this.handler = handler;
        this.positions = positions;
        this.consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.CLIENT_ID_CONFIG, clientId,
                // Records are handed over as soon as they exist; this only bounds an idle poll.
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100),
                new StringDeserializer(), new ByteArrayDeserializer());
        this.thread = new Thread(this::run, "tail-" + topic.topicName());
        thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    /**
     * Whether the tail is assigned and reading (with positions: and has caught up with the log as
     * it was at the start): the replica's readiness depends on it.
     */
    public boolean following() {
        return following;
    }

    public Topic topic() {
        return topic;
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
                    LOG.warnf("following %s failed (%s); starting over", topic.topicName(), e.toString());
                    pause();
                }
            }
        } catch (WakeupException e) {
            // close() asked us to stop.
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    private void follow() {
        List<PartitionInfo> infos = consumer.partitionsFor(topic.topicName(), Duration.ofSeconds(5));
        if (infos.isEmpty()) {
            throw new IllegalStateException("topic " + topic.topicName() + " does not exist");
        }
        List<TopicPartition> partitions = infos.stream().map(info -> new TopicPartition(info.topic(), info.partition())).toList();
        consumer.assign(partitions);
        for (TopicPartition partition : partitions) {
            Long position = next.get(partition);
            if (position == null && positions != null) {
                OptionalLong saved = positions.load(partition.partition());
                if (saved.isPresent()) {
                    position = saved.getAsLong();
                } else {
                    consumer.seekToBeginning(List.of(partition));
                    position = consumer.position(partition);
                }
            }
            if (position == null) {
                consumer.seekToEnd(List.of(partition));
                next.put(partition, consumer.position(partition));
            } else {
                consumer.seek(partition, position);
            }
        }
        // A tail with positions is ready only once it has caught up with what the log held when it
        // started: until then it would answer from stale state.
        Map<TopicPartition, Long> catchUpTo = positions == null ? new HashMap<>() : new HashMap<>(consumer.endOffsets(partitions));
        following = caughtUp(catchUpTo);
        while (running) {
            Map<TopicPartition, Long> handled = new HashMap<>();
            for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                TopicPartition partition = new TopicPartition(record.topic(), record.partition());
                handle(record);
                next.put(partition, record.offset() + 1);
                handled.put(partition, record.offset() + 1);
            }
            if (positions != null) {
                handled.forEach((partition, offset) -> positions.save(partition.partition(), offset));
                following = caughtUp(catchUpTo);
            }
        }
    }

    /** Whether every partition has been read up to {@code ends}; partitions reached are dropped from it. */
    private boolean caughtUp(Map<TopicPartition, Long> ends) {
        ends.entrySet().removeIf(end -> consumer.position(end.getKey()) >= end.getValue());
        return ends.isEmpty();
    }

    private void handle(ConsumerRecord<String, byte[]> record) {
        T value;
        try {
            value = values.deserialize(record.topic(), record.value());
        } catch (RuntimeException e) {
            LOG.warnf("skipping unreadable %s-%d@%d: %s", record.topic(), record.partition(), record.offset(), e.getMessage());
            return;
        }
        if (value == null) {
            return;
        }
        try {
            handler.accept(value, record.partition(), record.offset());
        } catch (RuntimeException e) {
            if (positions != null) {
                throw e; // Tried again from this record once the tail starts over.
            }
            LOG.warnf("skipping %s-%d@%d: %s", record.topic(), record.partition(), record.offset(), e.getMessage());
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

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        thread.join(Duration.ofSeconds(5).toMillis());
    }
}
