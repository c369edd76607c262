package dev.parley.events.invite;

import dev.parley.events.identity.UserId;

import java.time.Instant;
import java.util.Objects;

/**
 * Someone ({@code by}: a signed-in user, or the guest identity the redemption created) redeemed
 * the invite; {@code invite.uses} counts them.
 */
public record InviteRedeemed(InviteState invite, Instant occurredAt, UserId by) implements InviteEvent {

    public static final String TYPE = "invite.redeemed";

    public InviteRedeemed {
        Objects.requireNonNull(invite, "invite");
        Objects.requireNonNull(occurredAt, "occurredAt");
        Objects.requireNonNull(by, "by");
    }
}
