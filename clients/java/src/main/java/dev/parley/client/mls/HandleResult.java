package dev.parley.client.mls;

/**
 * What {@link MlsMember#handle} did with a message.
 *
 * @param outcome what happened
 * @param epoch the member's epoch afterwards
 */
public record HandleResult(Outcome outcome, long epoch) {

    public enum Outcome {
        /** A proposal was checked and queued; the next commit of this member will include it. */
        PROPOSAL_QUEUED,
        /**
         * An authentic proposal to remove this member. It is remembered, so that the commit that
         * carries it by reference is recognised as this member's removal.
         */
        REMOVAL_PROPOSED,
        /** Another member's commit (or this member's own, echoed back) moved the group to a new epoch. */
        EPOCH_ADVANCED,
        /**
         * An authentic commit removed this member. The member keeps its last epoch's secrets for
         * reading and accepts no more messages; it cannot derive the new epoch's secrets.
         */
        REMOVED,
        /** The message is for an epoch the group has left: ignored, the member is unchanged. */
        STALE
    }
}
