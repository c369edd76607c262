package dev.parley.keydistribution.group;

import dev.parley.events.call.ParticipantId;
import dev.parley.keydistribution.group.GroupState.Leaf;
import dev.parley.keydistribution.group.GroupState.PendingJoin;
import dev.parley.keydistribution.group.GroupState.PendingProposal;
import dev.parley.keydistribution.identity.Bytes;
import dev.parley.keydistribution.identity.DeviceId;
import dev.parley.keydistribution.mls.ExternalProposals;
import dev.parley.keydistribution.mls.GroupOperation;
import dev.parley.keydistribution.mls.Handshake;
import dev.parley.keydistribution.mls.MlsFormatException;
import org.bouncycastle.mls.codec.SenderType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * The Delivery Service's rules, as a pure function from a group's state and one log record to
 * the next state, the messages members receive and the verdict for whoever sent the record.
 * Being deterministic is what makes it safe for every replica to apply the same log: they all
 * reach the same decision, in particular about which of two Commits for one epoch wins (RFC 9420
 * §14: the DS must deliver one Commit per epoch, in one order, to every member).
 *
 * <p>Membership follows the call: a participant's join becomes an external Add proposal, a
 * departure an external Remove (RFC 9420 §12.1.8.1), issued again in every new epoch until a
 * Commit carries it out. The tree's leaves are tracked as RFC 9420 §12.1.1 and §12.3 place them:
 * Removes blank their leaf, then each Add takes the leftmost blank leaf or extends the tree.
 */
public final class GroupMachine {

    /** The outcome of applying one record. {@code fresh}: a new group replaced the room's old one. */
    public record Transition(GroupState state, List<GroupMessage> messages, Verdict verdict, boolean fresh) {
    }

    private final ExternalProposals external;

    public GroupMachine(ExternalProposals external) {
        this.external = external;
    }

    public Transition apply(GroupState state, GroupRecord record) {
        boolean live = state != null && state.open();
        if (record instanceof GroupRecord.JoinRequested join) {
            return live ? new Draft(state).join(join) : open(join);
        }
        if (record instanceof GroupRecord.HandshakeSubmitted handshake) {
            return live ? new Draft(state).handshake(handshake)
                    : new Transition(state, List.of(), Verdict.refused(Verdict.NO_GROUP, state, "the call has no group; join first"), false);
        }
        if (!live) {
            return new Transition(state, List.of(), Verdict.refused(Verdict.NOTED, state, null), false);
        }
        return record instanceof GroupRecord.MemberDeparted departed
                ? new Draft(state).depart(departed.participantId())
                : new Draft(state).close();
    }

    /** The first join of a call opens its group, with the joiner alone at leaf 0, at epoch 0. */
    private static Transition open(GroupRecord.JoinRequested join) {
        GroupState state = new GroupState(join.candidateGroupId(), 0,
                List.of(new Leaf(join.participantId(), join.deviceId(), join.signatureKey())),
                List.of(), java.util.Set.of(), Map.of(), 0, true);
        return new Transition(state, List.of(), new Verdict(Verdict.CREATE, state.groupId(), 0, -1, null), true);
    }

    /** A state being changed by one record. */
    private final class Draft {
        private final GroupState original;
        private final String groupId;
        private final byte[] groupIdBytes;
        private long epoch;
        private final List<Leaf> leaves;
        private final List<PendingJoin> joins;
        private final TreeSet<Integer> doomed;
        private final Map<String, PendingProposal> proposals;
        private long nextIndex;
        private final List<GroupMessage> out = new ArrayList<>();

        Draft(GroupState state) {
            this.original = state;
            this.groupId = state.groupId();
            this.groupIdBytes = Bytes.decode(groupId).orElseThrow();
            this.epoch = state.epoch();
            this.leaves = new ArrayList<>(state.leaves());
            this.joins = new ArrayList<>(state.joins());
            this.doomed = new TreeSet<>(state.doomed());
            this.proposals = new HashMap<>(state.proposals());
            this.nextIndex = state.nextIndex();
        }

        Transition join(GroupRecord.JoinRequested join) {
            joins.removeIf(pending -> pending.participantId().equals(join.participantId()));
            // A participant asking again (it lost its state, or moved device) starts afresh.
            leafOf(join.participantId()).forEach(this::doom);
            PendingJoin pending = new PendingJoin(join.participantId(), join.deviceId(), join.signatureKey(), join.keyPackage());
            joins.add(pending);
            proposeAdd(pending);
            return done(new Verdict(Verdict.AWAIT_WELCOME, groupId, epoch, -1, null));
        }

        Transition depart(ParticipantId participant) {
            joins.removeIf(pending -> pending.participantId().equals(participant));
            List<Integer> leaving = leafOf(participant);
            boolean anyoneStays = false;
            for (int i = 0; i < leaves.size(); i++) {
                anyoneStays |= leaves.get(i) != null && !doomed.contains(i) && !leaving.contains(i);
            }
            if (!anyoneStays) {
                return close(); // Nobody is left to commit, or to keep anything from.
            }
            leaving.forEach(this::doom);
            return done(new Verdict(Verdict.NOTED, groupId, epoch, -1, null));
        }

        Transition close() {
            emit(GroupMessage.CLOSED, null);
            return new Transition(state(false), out, new Verdict(Verdict.NOTED, groupId, epoch, -1, null), false);
        }

        Transition handshake(GroupRecord.HandshakeSubmitted submitted) {
            Handshake handshake;
            try {
                handshake = Handshake.parse(Bytes.decode(submitted.message()).orElseThrow(() -> new MlsFormatException("not base64url")));
            } catch (MlsFormatException e) {
                return refuse(Verdict.MALFORMED, e.getMessage());
            }
            if (!Arrays.equals(handshake.groupId(), groupIdBytes)) {
                return refuse(Verdict.WRONG_GROUP, "the message is for another group than the call's");
            }
            if (handshake.epoch() != epoch) {
                return refuse(Verdict.STALE_EPOCH, "the group is at epoch " + epoch + ", the message is for epoch " + handshake.epoch());
            }
            if (handshake.senderType() != SenderType.MEMBER || !sitsAt(submitted.deviceId(), handshake.senderLeaf())) {
                return refuse(Verdict.NOT_YOUR_LEAF, "the sender leaf is not the submitting device's");
            }
            if (doomed.contains(handshake.senderLeaf())) {
                return refuse(Verdict.NOT_YOUR_LEAF, "the sender has left the call");
            }
            return handshake.isCommit() ? commit(handshake, submitted) : proposal(handshake, submitted.message());
        }

        private Transition proposal(Handshake handshake, String message) {
            if (!(handshake.operation() instanceof GroupOperation.Update)) {
                return refuse(Verdict.REFUSED_PROPOSAL, "members propose only Updates; this service proposes Adds and Removes as the call changes");
            }
            proposals.put(Bytes.encode(handshake.proposalRef()), new PendingProposal(PendingProposal.UPDATE, handshake.senderLeaf(), null, null));
            long index = emit(GroupMessage.PROPOSAL, message);
            return done(new Verdict(Verdict.ACCEPTED, groupId, epoch, index, null));
        }

        private Transition commit(Handshake handshake, GroupRecord.HandshakeSubmitted submitted) {
            List<Integer> removed = new ArrayList<>();
            List<PendingProposal> added = new ArrayList<>();
            for (Object item : handshake.commitItems()) {
                PendingProposal proposal = item instanceof byte[] ref ? proposals.get(Bytes.encode(ref)) : inline((GroupOperation) item);
                if (proposal == null) {
                    return refuse(item instanceof byte[] ? Verdict.UNKNOWN_PROPOSAL : Verdict.REFUSED_PROPOSAL,
                            item instanceof byte[] ? "the Commit refers to a proposal this epoch does not have"
                                    : "the Commit carries a proposal Parley does not allow: " + item.getClass().getSimpleName());
                }
                switch (proposal.kind()) {
                    case PendingProposal.REMOVE -> removed.add(proposal.leaf());
                    case PendingProposal.ADD -> added.add(proposal);
                    default -> { }
                }
            }
            if (!removed.containsAll(doomed)) {
                return refuse(Verdict.REFUSED_PROPOSAL, "the Commit must remove every participant who left: leaves " + doomed);
            }
            for (int leaf : removed) {
                leaves.set(leaf, null);
                doomed.remove(leaf);
            }
            for (PendingProposal add : added) {
                PendingJoin join = joins.stream().filter(j -> j.participantId().equals(add.participantId())).findFirst().orElse(null);
                int leaf = place(new Leaf(add.participantId(), join == null ? null : join.deviceId(), add.signatureKey()));
                if (join == null) {
                    doomed.add(leaf); // Added after its participant left: proposed out below, in the new epoch.
                } else {
                    joins.remove(join);
                }
            }
            long index = emit(GroupMessage.COMMIT, submitted.message());
            if (submitted.welcome() != null) {
                emit(GroupMessage.WELCOME, submitted.welcome());
            }
            epoch++;
            proposals.clear();
            doomed.forEach(this::proposeRemove);
            joins.forEach(this::proposeAdd);
            return done(new Verdict(Verdict.ACCEPTED, groupId, epoch, index, null));
        }

        /** A proposal a Commit carries by value: only Removes of departed leaves and Adds of waiting joiners. */
        private PendingProposal inline(GroupOperation operation) {
            if (operation instanceof GroupOperation.Remove remove && doomed.contains(remove.leaf())) {
                return new PendingProposal(PendingProposal.REMOVE, remove.leaf(), null, null);
            }
            if (operation instanceof GroupOperation.Add add) {
                String key = Bytes.encode(add.signatureKey());
                return joins.stream().filter(join -> join.signatureKey().equals(key)).findFirst()
                        .map(join -> new PendingProposal(PendingProposal.ADD, -1, join.participantId(), key)).orElse(null);
            }
            return null;
        }

        private void doom(int leaf) {
            if (doomed.add(leaf)) {
                proposeRemove(leaf);
            }
        }

        private void proposeRemove(int leaf) {
            byte[] message = external.remove(groupIdBytes, epoch, leaf);
            remember(message, new PendingProposal(PendingProposal.REMOVE, leaf, null, null));
        }

        private void proposeAdd(PendingJoin join) {
            byte[] message = external.add(groupIdBytes, epoch, Bytes.decode(join.keyPackage()).orElseThrow());
            remember(message, new PendingProposal(PendingProposal.ADD, -1, join.participantId(), join.signatureKey()));
        }

        private void remember(byte[] message, PendingProposal proposal) {
            try {
                proposals.put(Bytes.encode(Handshake.parse(message).proposalRef()), proposal);
            } catch (MlsFormatException e) {
                throw new IllegalStateException("this service's own proposal does not parse", e);
            }
            emit(GroupMessage.PROPOSAL, Bytes.encode(message));
        }

        private int place(Leaf leaf) {
            int blank = leaves.indexOf(null);
            if (blank >= 0) {
                leaves.set(blank, leaf);
                return blank;
            }
            leaves.add(leaf);
            return leaves.size() - 1;
        }

        private List<Integer> leafOf(ParticipantId participant) {
            List<Integer> found = new ArrayList<>();
            for (int i = 0; i < leaves.size(); i++) {
                if (leaves.get(i) != null && leaves.get(i).participantId().equals(participant)) {
                    found.add(i);
                }
            }
            return found;
        }

        private boolean sitsAt(DeviceId device, int leaf) {
            return leaf >= 0 && leaf < leaves.size() && leaves.get(leaf) != null
                    && Objects.equals(leaves.get(leaf).deviceId(), device);
        }

        private long emit(String kind, String message) {
            long index = nextIndex++;
            out.add(new GroupMessage(index, groupId, epoch, kind, message));
            return index;
        }

        private Transition refuse(String outcome, String detail) {
            return new Transition(original, List.of(), new Verdict(outcome, groupId, epoch, -1, detail), false);
        }

        private Transition done(Verdict verdict) {
            return new Transition(state(true), out, verdict, false);
        }

        private GroupState state(boolean open) {
            return new GroupState(groupId, epoch, leaves, joins, doomed, proposals, nextIndex, open);
        }
    }
}
