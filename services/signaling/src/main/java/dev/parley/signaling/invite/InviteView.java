package dev.parley.signaling.invite;

import dev.parley.events.identity.UserId;
import dev.parley.events.invite.InviteCode;
import dev.parley.events.invite.InviteRole;
import dev.parley.events.invite.InviteState;
import dev.parley.events.room.RoomId;

import java.time.Instant;

/**
 * An invite link as hosts see it.
 *
 * @param url    the link to share: opening it starts joining the room
 * @param usable whether it can still admit someone now (not revoked, not expired, uses left)
 */
public record InviteView(InviteCode code, String url, RoomId roomId, InviteRole role, UserId createdBy,
                         Instant createdAt, Instant expiresAt, int maxUses, int uses, Instant revokedAt,
                         boolean usable) {

    static InviteView of(InviteState invite, String publicUrl, Instant now) {
        return new InviteView(invite.code(), publicUrl + "/join/" + invite.code().value(), invite.roomId(),
                invite.role(), invite.createdBy(), invite.createdAt(), invite.expiresAt(), invite.maxUses(),
                invite.uses(), invite.revokedAt(), invite.usableAt(now));
    }
}
