package dev.parley.signaling.invite;

import dev.parley.events.identity.UserId;
import dev.parley.events.invite.InviteRole;
import dev.parley.events.room.RoomId;

import java.time.Instant;

/**
 * What redeeming an invite grants.
 *
 * @param verified          whether the identity is an SSO account (false for guests)
 * @param lobby             whether the holder waits in the lobby until a host admits them
 * @param guestToken        for guests: the bearer token for this room, else {@code null}
 * @param guestTokenExpiresAt when {@code guestToken} stops working
 */
public record Redemption(RoomId roomId, InviteRole role, UserId userId, String displayName, boolean verified,
                         boolean lobby, String guestToken, Instant guestTokenExpiresAt) {
}
