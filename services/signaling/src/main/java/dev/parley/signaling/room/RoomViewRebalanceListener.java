package dev.parley.signaling.room;

import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

import java.util.Collection;
import java.util.List;
import java.util.OptionalLong;

/**
 * When a replica is given partitions of the rooms topic, it resumes each one just after the last
 * offset the Redis view applied. A partition the view knows nothing about, because Redis was
 * emptied or this is the first start, is replayed from its beginning, which rebuilds every room
 * the compacted topic still holds.
 */
@ApplicationScoped
@Identifier("room-view-rebalance")
public class RoomViewRebalanceListener implements KafkaConsumerRebalanceListener {

    private static final Logger LOG = Logger.getLogger(RoomViewRebalanceListener.class);

    private final RoomDirectory directory;

    RoomViewRebalanceListener(RoomDirectory directory) {
        this.directory = directory;
    }

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        for (TopicPartition partition : partitions) {
            OptionalLong applied = directory.appliedOffset(partition.partition());
            if (applied.isPresent()) {
                consumer.seek(partition, applied.getAsLong() + 1);
            } else {
                LOG.infof("room view has nothing from %s: replaying it from the start", partition);
                consumer.seekToBeginning(List.of(partition));
            }
        }
    }
}
