package dev.parley.events.call;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.parley.events.room.RoomId;

import java.time.Instant;

/**
 * Something that happened in a live call, on {@link dev.parley.events.Topic#CALLS} keyed by room:
 * one partition holds a room's events, so every member, on whichever signaling replica, sees them
 * in the same order. Unlike rooms and invites these are deltas; the live state they describe is
 * kept in Redis by signaling, and the topic keeps them only long enough to replay a resume.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = CallEvents.ParticipantJoined.class, name = "participant-joined"),
        @JsonSubTypes.Type(value = CallEvents.ParticipantLeft.class, name = "participant-left"),
        @JsonSubTypes.Type(value = CallEvents.ParticipantResumed.class, name = "participant-resumed"),
        @JsonSubTypes.Type(value = CallEvents.PayloadSent.class, name = "payload"),
        @JsonSubTypes.Type(value = CallEvents.HandChanged.class, name = "hand-changed"),
        @JsonSubTypes.Type(value = CallEvents.RoleChanged.class, name = "role-changed"),
        @JsonSubTypes.Type(value = CallEvents.LockChanged.class, name = "room-locked"),
        @JsonSubTypes.Type(value = CallEvents.MuteRequested.class, name = "mute-requested"),
        @JsonSubTypes.Type(value = CallEvents.LobbyEntered.class, name = "lobby-entered"),
        @JsonSubTypes.Type(value = CallEvents.LobbyLeft.class, name = "lobby-left"),
        @JsonSubTypes.Type(value = CallEvents.CallEnded.class, name = "room-ended"),
        @JsonSubTypes.Type(value = CallEvents.MediaTracksChanged.class, name = "media-tracks"),
        @JsonSubTypes.Type(value = CallEvents.DominantSpeakerChanged.class, name = "dominant-speaker"),
        @JsonSubTypes.Type(value = CallEvents.MediaRestart.class, name = "media-restart"),
})
public sealed interface CallEvent permits CallEvents.ParticipantJoined, CallEvents.ParticipantLeft,
        CallEvents.ParticipantResumed, CallEvents.PayloadSent, CallEvents.HandChanged, CallEvents.RoleChanged,
        CallEvents.LockChanged, CallEvents.MuteRequested, CallEvents.LobbyEntered, CallEvents.LobbyLeft,
        CallEvents.CallEnded, CallEvents.MediaTracksChanged, CallEvents.DominantSpeakerChanged,
        CallEvents.MediaRestart {

    /** The room whose call this is; also the record key. */
    RoomId roomId();

    /** When signaling (or, for the dominant speaker, the media relay) recorded it. */
    Instant occurredAt();
}
