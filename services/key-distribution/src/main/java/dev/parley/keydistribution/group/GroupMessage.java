package dev.parley.keydistribution.group;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One message every member of a call group receives, in {@code index} order: the Delivery
 * Service's output (RFC 9420 §16.3 / RFC 9750 §5.2).
 *
 * @param index   position in the group's sequence, from 0; gap-free
 * @param epoch   the epoch the message belongs to (for a Commit, the epoch it ends)
 * @param kind    {@code proposal}, {@code commit}, {@code welcome}, or {@code closed} (the call's
 *                group is over: members drop it)
 * @param message the MLS message, base64url; absent for {@code closed}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record GroupMessage(long index, String groupId, long epoch, String kind, String message) {

    public static final String PROPOSAL = "proposal";
    public static final String COMMIT = "commit";
    public static final String WELCOME = "welcome";
    public static final String CLOSED = "closed";
}
