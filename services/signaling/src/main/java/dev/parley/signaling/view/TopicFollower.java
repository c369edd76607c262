package dev.parley.signaling.view;

import dev.parley.events.Topic;
import dev.parley.runtime.kafka.LogPosition;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.BiConsumer;

/**
 * Follows every partition of one topic into a Redis view, on a thread of its own.
 *
 * <p>Every signaling replica follows the whole topic, without a consumer group: applying a state
 * is idempotent and order-safe ({@link VersionedStore}), so several replicas applying the same
 * record do no harm, and no replica ever waits for a group rebalance before its view moves. Where
 * to start is read from {@link ViewOffsets}: just after the last applied offset, or the beginning
 * of a partition the view knows nothing about (Redis lost its data, or this is the first start),
 * which rebuilds every entity the compacted topic still holds.
 *
 * <p>A record that cannot be read is skipped. A record that cannot be applied (Redis is away) is
 * retried until it can: the view never skips an accepted change.
 *
 * @param <E> the topic's event family
 */
public final class TopicFollower<E> implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(TopicFollower.class);
    private static final Duration RETRY_PAUSE = Duration.ofSeconds(1);

    private final Topic topic;
    private final Deserializer<E> values;
    private final ViewOffsets offsets;
    private final BiConsumer<E, LogPosition> apply;
    private final KafkaConsumer<String, byte[]> consumer;
    private final Thread thread;
    private volatile boolean caughtUp;
    private volatile boolean running = true;

    public TopicFollower(String bootstrapServers, Topic topic, Deserializer<E> values, ViewOffsets offsets,
                         BiConsumer<E, LogPosition> apply) {
        this.topic = topic;
        this.values = values;
        this.offsets = offsets;
        this.apply = apply;
        this.consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.CLIENT_ID_CONFIG, "signaling-view-" + topic.topicName(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100),
                new StringDeserializer(), new ByteArrayDeserializer());
        this.thread = new Thread(this::run, "view-" + topic.topicName());
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    /** Whether the view has applied everything the topic held when following began. */
    public boolean caughtUp() {
        return caughtUp;
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
                    // Typically the broker is unreachable while we set up: start over from the
                    // stored offsets once it is back.
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
        List<TopicPartition> partitions = assignAll();
        Map<TopicPartition, Long> startEnds = consumer.endOffsets(partitions);
        while (running) {
            ConsumerRecords<String, byte[]> batch = consumer.poll(Duration.ofMillis(500));
            boolean retry = false;
            for (TopicPartition partition : batch.partitions()) {
                Long lastApplied = null;
                for (ConsumerRecord<String, byte[]> record : batch.records(partition)) {
                    if (!applied(record)) {
                        // Only this partition goes back; the others keep their progress.
                        consumer.seek(partition, record.offset());
                        retry = true;
                        break;
                    }
                    lastApplied = record.offset();
                }
                // Recorded once per partition and batch, not once per record.
                if (lastApplied != null) {
                    offsets.markApplied(topic.topicName(), partition.partition(), lastApplied);
                }
            }
            if (retry) {
                pause();
            }
            if (!caughtUp && startEnds.entrySet().stream()
                    .allMatch(end -> consumer.position(end.getKey()) >= end.getValue())) {
                caughtUp = true;
                LOG.infof("view of %s caught up", topic.topicName());
            }
        }
    }

    private List<TopicPartition> assignAll() {
        List<PartitionInfo> infos;
        while ((infos = consumer.partitionsFor(topic.topicName(), Duration.ofSeconds(5))).isEmpty()) {
            LOG.warnf("topic %s has no partitions yet; waiting", topic.topicName());
        }
        List<TopicPartition> partitions = infos.stream()
                .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
        consumer.assign(partitions);
        for (TopicPartition partition : partitions) {
            OptionalLong applied = offsets.applied(topic.topicName(), partition.partition());
            if (applied.isPresent()) {
                consumer.seek(partition, applied.getAsLong() + 1);
            } else {
                LOG.infof("view has nothing from %s: replaying it from the start", partition);
                consumer.seekToBeginning(List.of(partition));
            }
        }
        return partitions;
    }

    /** Applies one record; false when the view cannot take it yet (it is then retried). */
    private boolean applied(ConsumerRecord<String, byte[]> record) {
        E event = decode(record);
        try {
            if (event != null) {
                apply.accept(event, new LogPosition(record.partition(), record.offset()));
            }
            return true;
        } catch (RuntimeException e) {
            LOG.warnf(e, "cannot apply %s-%d@%d to the view yet; retrying", record.topic(), record.partition(),
                    record.offset());
            return false;
        }
    }

    private E decode(ConsumerRecord<String, byte[]> record) {
        try {
            return values.deserialize(record.topic(), record.value());
        } catch (RuntimeException e) {
            LOG.warnf("skipping unreadable record %s-%d@%d: %s", record.topic(), record.partition(), record.offset(),
                    e.getMessage());
            return null;
        }
    }

    private void pause() {
        try {
            Thread.sleep(RETRY_PAUSE.toMillis());
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
