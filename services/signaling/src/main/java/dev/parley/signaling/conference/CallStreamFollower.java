package dev.parley.signaling.conference;

import dev.parley.events.Topic;
import dev.parley.events.call.CallEvent;
import dev.parley.events.call.CallEventDeserializer;
import dev.parley.events.call.CallEvents.RoleChanged;
import dev.parley.events.call.CallEvents.ParticipantResumed;
import dev.parley.runtime.kafka.TopicTail;
import dev.parley.signaling.call.CallConnection;
import dev.parley.signaling.call.CloseCodes;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.logging.Logger;

/**
 * Delivers the room stream to this replica's members.
 *
 * <p>Every replica reads every partition of {@link Topic#CALLS} ({@link TopicTail}: no consumer
 * group, which would split the rooms between replicas, while each replica needs the rooms its
 * members are in, which can be any). One thread reads one partition's records in order, so each
 * member gets its room's events in stream order; the offset is the event's {@code seq}.
 */
@Readiness
@ApplicationScoped
public class CallStreamFollower implements HealthCheck {

    private static final Logger LOG = Logger.getLogger(CallStreamFollower.class);

    private final LocalMembers members;
    private final TopicTail<CallEvent> tail;

    CallStreamFollower(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers, LocalMembers members) {
        this.members = members;
        this.tail = new TopicTail<>(bootstrapServers, "signaling-call-stream", Topic.CALLS, new CallEventDeserializer(),
                this::dispatch);
    }

    void start(@Observes StartupEvent started) {
        tail.start();
    }

    void stop(@Observes ShutdownEvent stopping) throws InterruptedException {
        tail.close();
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("Room stream").status(tail.following()).build();
    }

    private void dispatch(CallEvent event, long seq) {
        Delivery delivery = new Delivery(event, seq);
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
}
