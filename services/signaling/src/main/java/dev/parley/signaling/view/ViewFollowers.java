package dev.parley.signaling.view;

import dev.parley.events.Topic;
import dev.parley.events.admission.AdmissionDeserializer;
import dev.parley.events.invite.InviteEventDeserializer;
import dev.parley.events.room.RoomEventDeserializer;
import dev.parley.runtime.kafka.LogPosition;
import dev.parley.runtime.kafka.RedisPositions;
import dev.parley.runtime.kafka.TopicTail;
import dev.parley.signaling.admission.AdmissionDirectory;
import dev.parley.signaling.invite.InviteDirectory;
import dev.parley.signaling.room.RoomDirectory;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.common.serialization.Deserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import java.util.List;
import java.util.function.BiConsumer;

/**
 * Follows rooms, invites and admissions into signaling's Redis views, and keeps the replica
 * not-ready until they have caught up with their topics, so that a replica never answers from a
 * half-rebuilt view.
 *
 * <p>Every replica follows every partition of each topic, without a consumer group: applying a
 * state is idempotent and order-safe ({@link VersionedStore}), so several replicas applying the
 * same record do no harm, and no replica waits for a group rebalance. Each view starts where
 * {@code parley:view-offsets:<topic>} says it was applied up to, or at the beginning of a
 * partition the view knows nothing about (Redis lost its data, or this is the first start), which
 * rebuilds every entity the compacted topic still holds. A record that cannot be applied (Redis
 * is away) is retried until it can: the view never skips an accepted change.
 */
@Readiness
@ApplicationScoped
public class ViewFollowers implements HealthCheck {

    static final String POSITIONS_PREFIX = "parley:view-offsets:";

    private final List<TopicTail<?>> followers;

    ViewFollowers(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers, RedisDataSource redis,
                  RoomDirectory rooms, InviteDirectory invites, AdmissionDirectory admissions) {
        this.followers = List.of(
                view(bootstrapServers, redis, Topic.ROOMS, new RoomEventDeserializer(),
                        (event, position) -> rooms.apply(event.room(), position)),
                view(bootstrapServers, redis, Topic.INVITES, new InviteEventDeserializer(),
                        (event, position) -> invites.apply(event.invite(), position)),
                view(bootstrapServers, redis, Topic.ADMISSIONS, new AdmissionDeserializer(), admissions::apply));
    }

    private static <E> TopicTail<E> view(String bootstrapServers, RedisDataSource redis, Topic topic,
                                         Deserializer<E> values, BiConsumer<E, LogPosition> apply) {
        return new TopicTail<>(bootstrapServers, "signaling-view-" + topic.topicName(), topic, values,
                (event, partition, offset) -> apply.accept(event, new LogPosition(partition, offset)),
                new RedisPositions(redis, POSITIONS_PREFIX + topic.topicName()));
    }

    void start(@Observes StartupEvent started) {
        followers.forEach(TopicTail::start);
    }

    void stop(@Observes ShutdownEvent stopping) throws InterruptedException {
        for (TopicTail<?> follower : followers) {
            follower.close();
        }
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("Views").up();
        for (TopicTail<?> follower : followers) {
            response.withData(follower.topic().topicName(), follower.following() ? "caught up" : "catching up");
            if (!follower.following()) {
                response.down();
            }
        }
        return response.build();
    }
}
