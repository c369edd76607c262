package dev.parley.keydistribution.group;

import dev.parley.events.room.RoomId;

import java.time.Instant;

/**
 * The MLS group of one room's call, as the Delivery Service knows it: public facts only.
 *
 * @param groupId  the MLS {@code group_id} every member's GroupContext carries, base64url without
 *                 padding; the first member creates the group with exactly this id
 * @param openedAt when the Delivery Service began to serve the group
 */
public record CallGroup(RoomId roomId, String groupId, Instant openedAt) {
}
