package dev.parley.signaling.conference;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.events.EventJson;
import dev.parley.events.call.CallEvents.MediaTracksChanged;
import dev.parley.events.call.ParticipantId;
import dev.parley.events.room.RoomId;
import dev.parley.signaling.call.CallConnection;
import dev.parley.signaling.call.CallError;
import dev.parley.signaling.call.ErrorCode;
import dev.parley.signaling.log.EntityLock;
import dev.parley.signaling.media.MediaRelay;
import dev.parley.signaling.media.RelayAnswer;
import dev.parley.signaling.media.RelayRefusal;
import dev.parley.signaling.media.TrackLayout;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/**
 * A participant's media negotiation ({@code docs/protocol.md}, "Media"): the offer goes to the
 * room's media relay, its answer back to the participant; when what the participant publishes
 * changed, the roster records it and everyone in the call receives {@code media-tracks}, in the
 * room's one order, so they renegotiate to receive it.
 */
@ApplicationScoped
public class CallMedia {

    private final MediaRelay relay;
    private final LiveRoster roster;
    private final CallStream stream;
    private final EntityLock lock;
    private final MediaFailover failover;
    private final Clock clock = Clock.systemUTC();

    CallMedia(MediaRelay relay, LiveRoster roster, CallStream stream, EntityLock lock, MediaFailover failover) {
        this.failover = failover;
        this.relay = relay;
        this.roster = roster;
        this.stream = stream;
        this.lock = lock;
    }

    public void offer(CallConnection connection, String sdp, Map<String, String> sources, Optional<String> region,
                      String ref) {
        CallActions.requireInCall(connection);
        RoomId room = connection.room();
        ParticipantId participant = connection.participantId();
        RelayAnswer answer;
        try {
            answer = relay.negotiate(room, participant, sdp, sources, region);
        } catch (RelayRefusal e) {
            // The room's relay is gone: move the room now, and everyone (this client too) gets media-restart.
            e.lostRelay().ifPresent(lost -> failover.relayLost(room, lost));
            throw new CallError(e.offerAtFault() ? ErrorCode.INVALID_SDP : ErrorCode.MEDIA_UNAVAILABLE, e.getMessage());
        }
        // Most offers only change what this participant receives: its published tracks are the same,
        // and the room's lock and a write are not needed.
        boolean unchanged = roster.place(room, participant).map(place -> place.tracks().equals(answer.published()))
                .orElse(false);
        if (!unchanged) {
            lock.holding(EntityLock.room(room), () -> {
                LivePlace place = roster.place(room, participant)
                        .orElseThrow(() -> new CallError(ErrorCode.NOT_JOINED, "you are no longer in the call"));
                if (!place.tracks().equals(answer.published())) {
                    roster.put(room, place.withTracks(answer.published()));
                    stream.append(new MediaTracksChanged(room, participant, answer.published(), clock.instant()));
                }
                return null;
            });
        }
        ObjectNode reply = EventJson.mapper().createObjectNode().put("type", "media-answer");
        if (ref != null) {
            reply.put("ref", ref);
        }
        reply.put("sdp", answer.sdp());
        reply.set("subscriptions", answer.subscriptions());
        connection.send(reply.toString());
    }

    /**
     * How large the client renders each track it receives (docs/protocol.md, {@code media-layout}):
     * passed on to the room's relay, which sends no larger a simulcast stream and pauses what is not
     * shown. No answer; {@code error} when the relay cannot be reached.
     */
    public void layout(CallConnection connection, Map<String, TrackLayout> tracks) {
        CallActions.requireInCall(connection);
        try {
            relay.layout(connection.room(), connection.participantId(), tracks);
        } catch (RelayRefusal e) {
            throw new CallError(e.offerAtFault() ? ErrorCode.INVALID : ErrorCode.MEDIA_UNAVAILABLE, e.getMessage());
        }
    }

    /**
     * A trickled candidate: accepted and dropped. The relay is ICE-lite (RFC 8445 §2.5) and learns
     * the client's address from its connectivity checks (peer-reflexive, RFC 8445 §7.3.1.3).
     */
    public void candidate(CallConnection connection) {
        CallActions.requireInCall(connection);
    }
}
