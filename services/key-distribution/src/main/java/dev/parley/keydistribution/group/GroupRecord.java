package dev.parley.keydistribution.group;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.parley.events.call.ParticipantId;
import dev.parley.events.identity.UserId;
import dev.parley.events.room.RoomId;
import dev.parley.keydistribution.identity.DeviceId;

import java.time.Instant;

/**
 * One record of a call group's intake on {@link dev.parley.events.Topic#GROUPS}, keyed by room.
 * Records are what was asked, not what was decided: every replica applies them in log order with
 * {@link GroupMachine}, which decides deterministically, so the decision is the same wherever and
 * however often it is made.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = GroupRecord.JoinRequested.class, name = "join-requested"),
        @JsonSubTypes.Type(value = GroupRecord.MemberDeparted.class, name = "member-departed"),
        @JsonSubTypes.Type(value = GroupRecord.CallClosed.class, name = "call-closed"),
        @JsonSubTypes.Type(value = GroupRecord.HandshakeSubmitted.class, name = "handshake-submitted"),
})
public sealed interface GroupRecord {

    RoomId roomId();

    Instant occurredAt();

    /**
     * A participant's device asks to be in the call's group. {@code keyPackage} was claimed from
     * the device's supply for it; {@code candidateGroupId} becomes the group id if this request
     * opens the group.
     */
    record JoinRequested(RoomId roomId, ParticipantId participantId, UserId userId, DeviceId deviceId,
                         String signatureKey, String keyPackage, String candidateGroupId, Instant occurredAt)
            implements GroupRecord {
    }

    /** Signaling reported that the participant left the call, or was removed, or timed out. */
    record MemberDeparted(RoomId roomId, ParticipantId participantId, Instant occurredAt) implements GroupRecord {
    }

    /** The call ended for everyone: its group is over. */
    record CallClosed(RoomId roomId, Instant occurredAt) implements GroupRecord {
    }

    /** A Proposal or Commit (with the Welcome of a Commit that adds members), from a device. */
    record HandshakeSubmitted(RoomId roomId, DeviceId deviceId, String message, String welcome, Instant occurredAt)
            implements GroupRecord {
    }
}
