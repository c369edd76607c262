package dev.parley.events.ring;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.parley.events.identity.UserId;

import java.time.Instant;
import java.util.Objects;

/**
 * One step of a ring, on {@link dev.parley.events.Topic#RINGS} keyed by ring id: every presence
 * replica reads them all and tells its own connections of the caller and the callee.
 *
 * @param inviteCode an invite link code the caller passes to the callee, relayed as is
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RingEvent(String ringId, UserId from, String fromName, UserId to, String roomId, String inviteCode,
                        Step step, Instant expiresAt, Instant occurredAt) {

    /** Where a ring stands. */
    public enum Step {
        @JsonProperty("ringing") RINGING,
        @JsonProperty("accepted") ACCEPTED,
        @JsonProperty("declined") DECLINED,
        @JsonProperty("cancelled") CANCELLED,
        @JsonProperty("timed-out") TIMED_OUT
    }

    public RingEvent {
        Objects.requireNonNull(ringId, "ringId");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(step, "step");
    }

    public RingEvent at(Step next, Instant now) {
        return new RingEvent(ringId, from, fromName, to, roomId, inviteCode, next, expiresAt, now);
    }
}
