package dev.parley.keydistribution.group;

import dev.parley.events.call.ParticipantId;
import dev.parley.keydistribution.identity.DeviceId;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What the Delivery Service knows of one call's MLS group: public facts only, derived from the
 * handshake messages it relayed. It never holds a key of the group, only who sits at which leaf.
 *
 * @param groupId   the MLS group id, base64url
 * @param epoch     the epoch every member is at, or will be once it has read all messages
 * @param leaves    the tree's leaves in index order; {@code null} for a blank leaf
 * @param joins     participants waiting to be added, in the order they asked
 * @param doomed    leaves that must be removed: their participant left (or rejoined afresh); a
 *                  Commit that does not remove them all is refused, so a leaver never learns a
 *                  later epoch's secrets
 * @param proposals the current epoch's proposals by ProposalRef (base64url), which Commits may
 *                  refer to
 * @param nextIndex the index the next {@link GroupMessage} gets
 * @param open      false once the call's group is over
 */
public record GroupState(String groupId, long epoch, List<Leaf> leaves, List<PendingJoin> joins, Set<Integer> doomed,
                         Map<String, PendingProposal> proposals, long nextIndex, boolean open) {

    /** Who sits at a leaf. */
    public record Leaf(ParticipantId participantId, DeviceId deviceId, String signatureKey) {
    }

    /** A participant's device that asked to join, with the KeyPackage claimed for it. */
    public record PendingJoin(ParticipantId participantId, DeviceId deviceId, String signatureKey, String keyPackage) {
    }

    /**
     * One proposal of the current epoch: {@code add} (of {@code participantId}'s device with
     * {@code signatureKey}), {@code remove} (of {@code leaf}), or {@code update}.
     */
    public record PendingProposal(String kind, int leaf, ParticipantId participantId, String signatureKey) {
        static final String ADD = "add";
        static final String REMOVE = "remove";
        static final String UPDATE = "update";
    }

    public GroupState {
        Objects.requireNonNull(groupId, "groupId");
        leaves = Collections.unmodifiableList(new ArrayList<>(leaves)); // Blank leaves are null.
        joins = List.copyOf(joins);
        doomed = Set.copyOf(doomed);
        proposals = Map.copyOf(proposals);
    }

    /** How many leaves are occupied. */
    public int members() {
        return (int) leaves.stream().filter(Objects::nonNull).count();
    }
}
