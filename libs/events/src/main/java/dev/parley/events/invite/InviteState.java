package dev.parley.events.invite;

import dev.parley.events.identity.UserId;
import dev.parley.events.room.RoomId;

import java.time.Instant;
import java.util.Objects;

/**
 * Everything known about an invite link at one moment. Like rooms, invites live on a compacted
 * topic, so each event carries this complete state.
 *
 * @param maxUses   how many times the link may be redeemed, at least 1
 * @param uses      how many times it has been
 * @param revokedAt when a host revoked it, or {@code null}
 */
public record InviteState(InviteCode code, RoomId roomId, InviteRole role, UserId createdBy, Instant createdAt,
                          Instant expiresAt, int maxUses, int uses, Instant revokedAt) {

    public InviteState {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(roomId, "roomId");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(createdBy, "createdBy");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        if (!expiresAt.isAfter(createdAt)) {
            throw new IllegalArgumentException("an invite expires after it is created");
        }
        if (maxUses < 1 || uses < 0 || uses > maxUses) {
            throw new IllegalArgumentException("0 <= uses <= maxUses and maxUses >= 1");
        }
    }

    /** The state after one more redemption, counted as {@code usesNow}. */
    public InviteState usedBy(int usesNow) {
        return new InviteState(code, roomId, role, createdBy, createdAt, expiresAt, maxUses, usesNow, revokedAt);
    }

    public InviteState revokedAt(Instant at) {
        return new InviteState(code, roomId, role, createdBy, createdAt, expiresAt, maxUses, uses, at);
    }

    /** Whether the link can still admit someone at {@code now}. */
    public boolean usableAt(Instant now) {
        return revokedAt == null && now.isBefore(expiresAt) && uses < maxUses;
    }
}
