package dev.parley.keydistribution.group;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What applying one {@link GroupRecord} came to, for whoever appended it and waits for the answer.
 *
 * @param outcome one of the constants below
 * @param epoch   the group's epoch after the record
 * @param index   for an accepted message, its {@link GroupMessage#index()}; else -1
 * @param detail  for a refusal, why, in words for the client's log
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Verdict(String outcome, String groupId, long epoch, long index, String detail) {

    /** A join opened the group: the caller creates it at epoch 0 with the given id. */
    public static final String CREATE = "create";
    /** A join was proposed: the caller waits for its Welcome. */
    public static final String AWAIT_WELCOME = "await-welcome";
    /** A handshake message was accepted and delivered. */
    public static final String ACCEPTED = "accepted";
    /** Nothing to answer (departures, closures). */
    public static final String NOTED = "noted";
    public static final String STALE_EPOCH = "stale-epoch";
    public static final String NO_GROUP = "no-group";
    public static final String WRONG_GROUP = "wrong-group";
    public static final String NOT_YOUR_LEAF = "not-your-leaf";
    public static final String REFUSED_PROPOSAL = "refused-proposal";
    public static final String UNKNOWN_PROPOSAL = "unknown-proposal";
    public static final String MALFORMED = "malformed-mls";

    static Verdict refused(String outcome, GroupState state, String detail) {
        return new Verdict(outcome, state == null ? null : state.groupId(), state == null ? -1 : state.epoch(), -1, detail);
    }
}
