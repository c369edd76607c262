package dev.parley.events.invite;

import dev.parley.events.identity.UserId;

import java.time.Instant;
import java.util.Objects;

/** A host ({@code by}) created an invite link for their room. */
public record InviteCreated(InviteState invite, Instant occurredAt, UserId by) implements InviteEvent {

    public static final String TYPE = "invite.created";

    public InviteCreated {
        Objects.requireNonNull(invite, "invite");
        Objects.requireNonNull(occurredAt, "occurredAt");
        Objects.requireNonNull(by, "by");
    }
}
