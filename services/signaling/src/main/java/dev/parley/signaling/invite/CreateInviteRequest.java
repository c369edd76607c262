package dev.parley.signaling.invite;

import dev.parley.events.invite.InviteRole;
import dev.parley.events.room.RoomSettings;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/**
 * The body of {@code POST /api/v1/rooms/{roomId}/invites}.
 *
 * @param expiresInSeconds how long the link stays valid; the configured default when omitted,
 *                         never more than the configured maximum
 * @param maxUses          how many people may redeem it; the room's participant limit when omitted
 */
public record CreateInviteRequest(
        @NotNull InviteRole role,
        @Min(60) Long expiresInSeconds,
        @Min(1) @Max(RoomSettings.MAX_PARTICIPANTS * 10) Integer maxUses) {
}
