package dev.parley.events.call;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.parley.events.identity.UserId;
import dev.parley.events.room.RoomId;

import java.time.Instant;
import java.util.List;

/**
 * The events of a live call. Their JSON names match the call-protocol messages they become
 * ({@code docs/protocol.md}); {@code by} is the user (a host, mostly) who caused an event.
 */
public final class CallEvents {

    private CallEvents() {
    }

    /** Someone entered the call (from {@code join}, or admitted from the lobby and joined). */
    public record ParticipantJoined(RoomId roomId, CallParticipant participant, Instant occurredAt)
            implements CallEvent {
    }

    /** Why a participant is no longer in the call. */
    public enum LeaveReason {
        /** They sent {@code leave}. */
        @JsonProperty("left") LEFT,
        /** A host removed them. */
        @JsonProperty("removed") REMOVED,
        /** Their connection dropped and they did not resume within the grace period. */
        @JsonProperty("timed-out") TIMED_OUT
    }

    public record ParticipantLeft(RoomId roomId, ParticipantId participantId, UserId userId, LeaveReason reason,
                                  UserId by, Instant occurredAt) implements CallEvent {
    }

    /**
     * A participant took their place back on a new connection. Members are not told (they saw no
     * leave either); presence and key distribution learn the participant is reachable again.
     */
    public record ParticipantResumed(RoomId roomId, ParticipantId participantId, UserId userId, Instant occurredAt)
            implements CallEvent {
    }

    /** What an opaque payload carries, as far as routing needs to know. */
    public enum PayloadKind {
        /** An MLS proposal or commit (RFC 9420, Section 6). */
        @JsonProperty("mls-handshake") MLS_HANDSHAKE,
        /** An MLS Welcome for new members (RFC 9420, Section 12.4.3.1); always addressed. */
        @JsonProperty("mls-welcome") MLS_WELCOME,
        /** An MLS application message: chat and other encrypted content. */
        @JsonProperty("mls-application") MLS_APPLICATION
    }

    /**
     * An end-to-end-encrypted payload. {@code data} is the sender's bytes in base64, never
     * inspected; {@code to} empty means everyone in the call. {@code clientRef} is the sender's
     * message id, echoed only to the sender.
     */
    public record PayloadSent(RoomId roomId, ParticipantId from, PayloadKind kind, String data,
                              List<ParticipantId> to, String clientRef, Instant occurredAt) implements CallEvent {
        public PayloadSent {
            to = to == null ? List.of() : List.copyOf(to);
        }

        /** Whether {@code participant} receives it. */
        public boolean addressedTo(ParticipantId participant) {
            return to.isEmpty() || from.equals(participant) || to.contains(participant);
        }
    }

    public record HandChanged(RoomId roomId, ParticipantId participantId, boolean raised, Instant occurredAt)
            implements CallEvent {
    }

    public record RoleChanged(RoomId roomId, ParticipantId participantId, UserId userId, CallRole role,
                              UserId by, Instant occurredAt) implements CallEvent {
    }

    public record LockChanged(RoomId roomId, boolean locked, UserId by, Instant occurredAt)
            implements CallEvent {
    }

    /** Which media a host asks a participant to mute. */
    public enum Media {
        @JsonProperty("audio") AUDIO,
        @JsonProperty("video") VIDEO
    }

    public record MuteRequested(RoomId roomId, ParticipantId participantId, Media media, UserId by,
                                Instant occurredAt) implements CallEvent {
    }

    /** A guest waits in the lobby for a host. */
    public record LobbyEntered(RoomId roomId, UserId userId, String displayName, Instant occurredAt)
            implements CallEvent {
    }

    /** How a wait in the lobby ended. */
    public enum LobbyOutcome {
        @JsonProperty("admitted") ADMITTED,
        @JsonProperty("denied") DENIED,
        /** The guest left or lost their connection. */
        @JsonProperty("gone") GONE
    }

    public record LobbyLeft(RoomId roomId, UserId userId, LobbyOutcome outcome, UserId by, Instant occurredAt)
            implements CallEvent {
    }

    /** A host ended the room for everyone. */
    public record CallEnded(RoomId roomId, UserId by, Instant occurredAt) implements CallEvent {
    }

    /**
     * The tracks a participant now publishes through the media relay, replacing the previous list
     * (empty: nothing). Clients subscribe to them by renegotiating ({@code docs/protocol.md}, "Media").
     */
    public record MediaTracksChanged(RoomId roomId, ParticipantId participantId, List<MediaTrack> tracks,
                                     Instant occurredAt) implements CallEvent {
        public MediaTracksChanged {
            tracks = tracks == null ? List.of() : List.copyOf(tracks);
        }
    }

    /** Whose voice dominates the call now, as the media relay hears it from RFC 6464 audio levels. */
    public record DominantSpeakerChanged(RoomId roomId, ParticipantId participantId, Instant occurredAt)
            implements CallEvent {
    }

    /** Why a room's media moves to another relay. */
    public enum MediaRestartReason {
        /** The room's relay died or stopped heartbeating. */
        @JsonProperty("relay-lost") RELAY_LOST,
        /** The room's relay is draining (going away) and hands its calls on. */
        @JsonProperty("relay-draining") RELAY_DRAINING
    }

    /**
     * Media of the room moved off relay {@code fromRelay}: the members named in
     * {@code participants} (every member when it is empty) build a new peer connection and offer
     * again ({@code docs/protocol.md}, "media-restart"). The relay {@code fromRelay} closes the
     * sessions it still holds for them, and the room's other relays close their link to it. An
     * empty list moves the whole room, to the new home relay {@code toRelay}; a list names the
     * participants a relay that had joined a cascaded room carried ({@code toRelay} is then
     * {@code null}: their next offers are placed afresh). Signaling appends it once per move (the
     * replica whose compare-and-set made it). The relay ids and the list are for relays and
     * signaling; members receive only the reason.
     */
    public record MediaRestart(RoomId roomId, MediaRestartReason reason, String fromRelay, String toRelay,
                               List<ParticipantId> participants, Instant occurredAt) implements CallEvent {
        public MediaRestart {
            participants = participants == null ? List.of() : List.copyOf(participants);
        }

        /** The whole room moved to {@code toRelay}. */
        public MediaRestart(RoomId roomId, MediaRestartReason reason, String fromRelay, String toRelay,
                            Instant occurredAt) {
            this(roomId, reason, fromRelay, toRelay, List.of(), occurredAt);
        }

        /** Whether {@code participant} is to restart its media. */
        public boolean restarts(ParticipantId participant) {
            return participants.isEmpty() || participants.contains(participant);
        }
    }
}
