package dev.parley.events.invite;

import dev.parley.events.identity.UserId;

import java.time.Instant;
import java.util.Objects;

/** A host ({@code by}) revoked an invite link: it admits nobody from now on. */
public record InviteRevoked(InviteState invite, Instant occurredAt, UserId by) implements InviteEvent {

    public static final String TYPE = "invite.revoked";

    public InviteRevoked {
        Objects.requireNonNull(invite, "invite");
        Objects.requireNonNull(occurredAt, "occurredAt");
        Objects.requireNonNull(by, "by");
    }
}
