package dev.parley.signaling.view;

import dev.parley.events.Topic;
import dev.parley.events.admission.AdmissionDeserializer;
import dev.parley.events.invite.InviteEventDeserializer;
import dev.parley.events.room.RoomEventDeserializer;
import dev.parley.signaling.admission.AdmissionDirectory;
import dev.parley.signaling.invite.InviteDirectory;
import dev.parley.signaling.room.RoomDirectory;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import java.util.List;

/**
 * Starts signaling's views when the service starts, and keeps the replica not-ready until they
 * have caught up with their topics, so that a replica never answers from a half-rebuilt view.
 */
@Readiness
@ApplicationScoped
public class ViewFollowers implements HealthCheck {

    private final List<TopicFollower<?>> followers;

    ViewFollowers(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers, ViewOffsets offsets,
                  RoomDirectory rooms, InviteDirectory invites, AdmissionDirectory admissions) {
        this.followers = List.of(
                new TopicFollower<>(bootstrapServers, Topic.ROOMS, new RoomEventDeserializer(), offsets,
                        (event, position) -> rooms.apply(event.room(), position)),
                new TopicFollower<>(bootstrapServers, Topic.INVITES, new InviteEventDeserializer(), offsets,
                        (event, position) -> invites.apply(event.invite(), position)),
                new TopicFollower<>(bootstrapServers, Topic.ADMISSIONS, new AdmissionDeserializer(), offsets,
                        admissions::apply));
    }

    void start(@Observes StartupEvent started) {
        followers.forEach(TopicFollower::start);
    }

    void stop(@Observes ShutdownEvent stopping) throws InterruptedException {
        for (TopicFollower<?> follower : followers) {
            follower.close();
        }
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("Views").up();
        for (TopicFollower<?> follower : followers) {
            response.withData(follower.topic().topicName(), follower.caughtUp() ? "caught up" : "catching up");
            if (!follower.caughtUp()) {
                response.down();
            }
        }
        return response.build();
    }
}
