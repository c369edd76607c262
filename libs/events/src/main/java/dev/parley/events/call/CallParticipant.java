package dev.parley.events.call;

import dev.parley.events.identity.UserId;

import java.time.Instant;
import java.util.Objects;

/**
 * One entry of a call's roster, as every member sees it.
 *
 * @param verified an SSO account (true) or a guest (false)
 */
public record CallParticipant(ParticipantId participantId, UserId userId, String displayName, boolean verified,
                              CallRole role, boolean handRaised, Instant joinedAt) {

    public CallParticipant {
        Objects.requireNonNull(participantId, "participantId");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(displayName, "displayName");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(joinedAt, "joinedAt");
    }

    public CallParticipant withHand(boolean raised) {
        return new CallParticipant(participantId, userId, displayName, verified, role, raised, joinedAt);
    }

    public CallParticipant withRole(CallRole changed) {
        return new CallParticipant(participantId, userId, displayName, verified, changed, handRaised, joinedAt);
    }
}
