package dev.parley.client.mls;

import java.util.Arrays;
import java.util.SortedMap;
import java.util.Optional;

import org.bouncycastle.mls.protocol.Group;

/**
 * A commit this member made and has not applied yet. The Delivery Service accepts one commit per
 * epoch (RFC 9420 §14): the member keeps its old epoch until the server answers, then calls
 * {@link MlsMember#confirm} (accepted) or {@link MlsMember#discard} (another commit won the epoch).
 */
public final class PendingCommit {
    private final MlsMember owner;
    private final long epoch;
    private final byte[] commit;
    private final byte[] welcome;
    private final Group next;
    private final SortedMap<LeafIndex, MemberIdentity> roster;

    PendingCommit(MlsMember owner, long epoch, byte[] commit, byte[] welcome, Group next,
        SortedMap<LeafIndex, MemberIdentity> roster) {
        this.owner = owner;
        this.epoch = epoch;
        this.commit = commit;
        this.welcome = welcome;
        this.next = next;
        this.roster = roster;
    }

    /** The Commit, an MLSMessage with a PublicMessage, for every member of the current epoch. */
    public byte[] commitMessage() {
        return commit.clone();
    }

    /** The Welcome for the members this commit adds; empty when it adds nobody. */
    public Optional<byte[]> welcomeMessage() {
        return Optional.ofNullable(welcome).map(byte[]::clone);
    }

    /** The epoch the commit was made in; confirming it moves the group to {@code epoch() + 1}. */
    public long epoch() {
        return epoch;
    }

    MlsMember owner() {
        return owner;
    }

    boolean isCommit(byte[] message) {
        return Arrays.equals(commit, message);
    }

    Group next() {
        return next;
    }

    SortedMap<LeafIndex, MemberIdentity> roster() {
        return roster;
    }
}
