package dev.parley.presence.live;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.events.EventJson;
import dev.parley.events.Topic;
import dev.parley.events.presence.UserPresence;
import dev.parley.events.presence.UserPresenceDeserializer;
import dev.parley.events.ring.RingEvent;
import dev.parley.events.ring.RingEventDeserializer;
import dev.parley.runtime.kafka.TopicTail;
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
 * Carries presence changes and ring steps, published by any replica, to this replica's sockets
 * ({@code docs/presence-protocol.md}). Not ready until both topics are followed.
 */
@Readiness
@ApplicationScoped
public class LiveFeeds implements HealthCheck {

    private final Listeners listeners;
    private final List<TopicTail<?>> tails;

    LiveFeeds(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers, Listeners listeners) {
        this.listeners = listeners;
        this.tails = List.of(
                new TopicTail<>(bootstrapServers, "presence-live", Topic.PRESENCE, new UserPresenceDeserializer(),
                        (presence, offset) -> presence(presence)),
                new TopicTail<>(bootstrapServers, "presence-rings", Topic.RINGS, new RingEventDeserializer(),
                        (ring, offset) -> ring(ring)));
    }

    void start(@Observes StartupEvent started) {
        tails.forEach(TopicTail::start);
    }

    void stop(@Observes ShutdownEvent stopping) throws InterruptedException {
        for (TopicTail<?> tail : tails) {
            tail.close();
        }
    }

    static String presenceMessage(UserPresence presence) {
        ObjectNode message = EventJson.mapper().valueToTree(presence);
        message.put("type", "presence");
        return message.toString();
    }

    private void presence(UserPresence presence) {
        String text = presenceMessage(presence);
        for (Listener listener : listeners.following(presence.userId())) {
            listener.presence(presence.userId(), presence.version(), text);
        }
    }

    private void ring(RingEvent ring) {
        switch (ring.step()) {
            case RINGING -> {
                ObjectNode incoming = message("incoming-call", ring);
                incoming.putObject("from").put("userId", ring.from().value()).put("displayName", ring.fromName());
                incoming.put("roomId", ring.roomId()).put("expiresAt", ring.expiresAt().toString());
                if (ring.inviteCode() != null) {
                    incoming.put("inviteCode", ring.inviteCode());
                }
                sendTo(listeners.devicesOf(ring.to()), incoming.toString());
            }
            case ACCEPTED, DECLINED -> {
                String answer = message(ring.step() == RingEvent.Step.ACCEPTED ? "ring-accepted" : "ring-declined", ring)
                        .put("userId", ring.to().value()).toString();
                sendTo(listeners.devicesOf(ring.from()), answer);
                sendTo(listeners.devicesOf(ring.to()), ended(ring));
            }
            case CANCELLED, TIMED_OUT -> {
                sendTo(listeners.devicesOf(ring.to()), ended(ring));
                sendTo(listeners.devicesOf(ring.from()), ended(ring));
            }
        }
    }

    private static String ended(RingEvent ring) {
        return message("ring-ended", ring).put("outcome", EventJson.mapper().convertValue(ring.step(), String.class)).toString();
    }

    private static ObjectNode message(String type, RingEvent ring) {
        return EventJson.mapper().createObjectNode().put("type", type).put("ringId", ring.ringId());
    }

    private static void sendTo(Iterable<Listener> targets, String text) {
        targets.forEach(listener -> listener.send(text));
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("Live feeds").up();
        for (TopicTail<?> tail : tails) {
            response.withData(tail.topic().topicName(), tail.following() ? "following" : "connecting");
            if (!tail.following()) {
                response.down();
            }
        }
        return response.build();
    }
}
