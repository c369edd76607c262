package dev.parley.mediarelay.session;

import dev.parley.events.Topic;
import dev.parley.events.call.CallEvent;
import dev.parley.events.call.CallEventDeserializer;
import dev.parley.events.call.CallEvents.CallEnded;
import dev.parley.events.call.CallEvents.MediaRestart;
import dev.parley.events.call.CallEvents.ParticipantLeft;
import dev.parley.mediarelay.placement.RelayHeartbeat;
import dev.parley.runtime.kafka.TopicTail;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.logging.Logger;

import java.util.List;

/**
 * Closes the session of whoever leaves a call, whatever way they leave (they said so, a host
 * removed them, their connection timed out) and every session of a call that ended: the relay
 * follows the room streams ({@link Topic#CALLS}) from their end, as every relay must, since any of
 * them may carry the room. So a departed participant's media stops at once, not after the consent
 * timeout, and nobody receives from a removed participant. Ready once it follows the topic.
 *
 * <p>A room that signaling moved off this relay ({@code media-restart} with this relay as
 * {@code fromRelay}: it drains, or was thought lost) has its sessions here closed too, but not at
 * once: its participants offer to the new relay while their old connections go on carrying media,
 * and close those once the new ones show video, within {@link MovedSessions}' grace
 * (make-before-break); a drain waits for exactly these sessions. When the restart names
 * participants (a relay that had joined a cascaded room), only theirs are moved. The room's other
 * relays keep their sessions and close their link to the relay media left ({@link MediaMovedOff}).
 */
@Readiness
@ApplicationScoped
public class CallDepartures implements HealthCheck {

    private static final Logger LOG = Logger.getLogger(CallDepartures.class);

    private final SessionRegistry sessions;
    private final MovedSessions moved;
    private final TopicTail<CallEvent> tail;
    private final Event<MediaMovedOff> movedOff;
    private final String relayId;

    CallDepartures(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers, SessionRegistry sessions,
                   MovedSessions moved, RelayHeartbeat heartbeat, Event<MediaMovedOff> movedOff) {
        this.sessions = sessions;
        this.moved = moved;
        this.movedOff = movedOff;
        this.relayId = heartbeat.id().value();
        this.tail = new TopicTail<>(bootstrapServers, "media-relay-calls", Topic.CALLS, new CallEventDeserializer(),
                (event, offset) -> apply(event));
    }

    void start(@Observes StartupEvent started) {
        tail.start();
    }

    void stop(@Observes ShutdownEvent stopping) throws InterruptedException {
        tail.close();
    }

    void apply(CallEvent event) {
        if (event instanceof ParticipantLeft left) {
            sessions.byParticipant(left.participantId()).ifPresent(session -> {
                LOG.debugf("closing the session of %s: %s", left.participantId(), left.reason());
                sessions.close(session.id());
            });
        } else if (event instanceof CallEnded ended) {
            sessions.close(new RoomId(ended.roomId().value()));
        } else if (event instanceof MediaRestart restart) {
            RoomId room = new RoomId(restart.roomId().value());
            if (!relayId.equals(restart.fromRelay())) {
                // Media left another relay of the room: the link to it carries nothing any more.
                movedOff.fire(new MediaMovedOff(room, restart.fromRelay()));
            } else if (restart.participants().isEmpty()) {
                // The participants' own sessions: a link's stand-ins, in the room but not registered, go with the link.
                List<Session> here = sessions.inRoom(room).stream()
                        .filter(session -> sessions.byId(session.id()).isPresent()).toList();
                if (!here.isEmpty()) {
                    LOG.infof("room %s moved to relay %s (%s): its %d session(s) here close as their participants "
                            + "move", restart.roomId().value(), restart.toRelay(), restart.reason(), here.size());
                    moved.closeAfterGrace(here);
                }
            } else {
                List<Session> here = restart.participants().stream()
                        .flatMap(participant -> sessions.byParticipant(participant).stream())
                        .filter(session -> session.room().filter(room::equals).isPresent())
                        .toList();
                if (!here.isEmpty()) {
                    LOG.infof("%d participant(s) of room %s move to another relay (%s): their sessions here close as "
                            + "they do", here.size(), room.value(), restart.reason());
                    moved.closeAfterGrace(here);
                }
            }
        }
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("call-departures").status(tail.following()).build();
    }
}
