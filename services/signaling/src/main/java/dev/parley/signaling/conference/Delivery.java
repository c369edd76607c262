package dev.parley.signaling.conference;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.events.EventJson;
import dev.parley.events.call.CallEvent;
import dev.parley.events.call.CallEvents.CallEnded;
import dev.parley.events.call.CallEvents.LeaveReason;
import dev.parley.events.call.CallEvents.LobbyEntered;
import dev.parley.events.call.CallEvents.LobbyLeft;
import dev.parley.events.call.CallEvents.LobbyOutcome;
import dev.parley.events.call.CallEvents.MediaRestart;
import dev.parley.events.call.CallEvents.MuteRequested;
import dev.parley.events.call.CallEvents.ParticipantLeft;
import dev.parley.events.call.CallEvents.ParticipantResumed;
import dev.parley.events.call.CallEvents.PayloadSent;
import dev.parley.events.call.CallRole;
import dev.parley.signaling.call.CallConnection;
import dev.parley.signaling.call.CallConnection.Place;
import dev.parley.signaling.call.CloseCodes;

/**
 * Who on this replica receives one room event, and as what message ({@code docs/protocol.md},
 * "Room events"). The common message is serialised once per event, however many members get it.
 */
final class Delivery {

    /** A message for one connection, and the close code that follows it (0 for none). */
    record Outgoing(String text, int closeCode) {
    }

    private final CallEvent event;
    private final long seq;
    private String common;

    Delivery(CallEvent event, long seq) {
        this.event = event;
        this.seq = seq;
    }

    long seq() {
        return seq;
    }

    CallEvent event() {
        return event;
    }

    /** What {@code connection} receives, or {@code null} when the event is not for it. */
    Outgoing to(CallConnection connection) {
        if (connection.place() == Place.LOBBY) {
            return toWaiting(connection);
        }
        if (connection.place() != Place.CALL) {
            return null;
        }
        if (event instanceof ParticipantLeft left && left.participantId().equals(connection.participantId())) {
            if (left.reason() == LeaveReason.REMOVED) {
                return new Outgoing(notice("removed").put("by", left.by().value()).toString(), CloseCodes.REMOVED);
            }
            // Timed out while this connection still looked alive here (a long pause): it holds
            // no place any more, so it is closed and the client joins again.
            return left.reason() == LeaveReason.TIMED_OUT ? new Outgoing(null, CloseCodes.RESUMED_ELSEWHERE) : null;
        }
        if (event instanceof PayloadSent payload) {
            if (!payload.addressedTo(connection.participantId())) {
                return null;
            }
            if (payload.from().equals(connection.participantId()) && payload.clientRef() != null) {
                return new Outgoing(wire().put("ref", payload.clientRef()).toString(), 0);
            }
        }
        if (event instanceof MediaRestart restart && !restart.restarts(connection.participantId())) {
            return null;
        }
        if (event instanceof ParticipantResumed
                || event instanceof MuteRequested mute && !mute.participantId().equals(connection.participantId())
                || (event instanceof LobbyEntered || event instanceof LobbyLeft) && connection.role() != CallRole.HOST) {
            return null;
        }
        return new Outgoing(common(), event instanceof CallEnded ? CloseCodes.ROOM_ENDED : 0);
    }

    private Outgoing toWaiting(CallConnection connection) {
        if (event instanceof CallEnded) {
            return new Outgoing(common(), CloseCodes.ROOM_ENDED);
        }
        if (!(event instanceof LobbyLeft left) || !left.userId().equals(connection.caller().userId())) {
            return null;
        }
        return switch (left.outcome()) {
            case ADMITTED -> new Outgoing(notice("admitted").toString(), 0);
            case DENIED -> new Outgoing(notice("denied").toString(), CloseCodes.DENIED);
            case GONE -> null;
        };
    }

    /** Whether this event ends {@code connection}'s wait in the lobby with an admission. */
    boolean admits(CallConnection connection) {
        return connection.place() == Place.LOBBY && event instanceof LobbyLeft left
                && left.outcome() == LobbyOutcome.ADMITTED && left.userId().equals(connection.caller().userId());
    }

    private String common() {
        if (common == null) {
            common = wire().toString();
        }
        return common;
    }

    private ObjectNode wire() {
        ObjectNode wire = EventJson.mapper().valueToTree(event);
        wire.remove("clientRef");
        wire.remove("to");
        if (event instanceof MediaRestart) {
            // Which relays: the relays' business, not the members' (docs/protocol.md, "media-restart").
            wire.remove("fromRelay");
            wire.remove("toRelay");
            wire.remove("participants");
        }
        wire.put("seq", seq);
        return wire;
    }

    private ObjectNode notice(String type) {
        return EventJson.mapper().createObjectNode().put("type", type).put("roomId", event.roomId().value())
                .put("seq", seq);
    }
}
