package dev.parley.client.mls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.bouncycastle.mls.codec.ProposalOrRefType;
import org.junit.jupiter.api.Test;

import dev.parley.client.mls.HandleResult.Outcome;

class GroupLifecycleTest {
    private final Parley parley = new Parley();
    private final Parley.Device alice = parley.device("alice", "laptop");
    private final Parley.Device bob = parley.device("bob", "phone");
    private final Parley.Device carol = parley.device("guest:c4r01", "browser");

    /** Alice creates the group and adds Bob and Carol with one commit; both join by the Welcome. */
    private MlsMember[] threeMembers() throws Exception {
        MlsMember a = alice.create();
        PendingCommit add = a.commit(List.of(bob.keyPackage().message(), carol.keyPackage().message()), List.of());
        a.confirm(add);
        byte[] welcome = add.welcomeMessage().orElseThrow();
        return new MlsMember[] {a, bob.join(welcome), carol.join(welcome)};
    }

    @Test
    void threeMembersAgreeOnEpochAuthenticatorAndSFrameSecret() throws Exception {
        MlsMember[] members = threeMembers();

        assertAgree(members);
        assertThat(members[0].epoch()).isEqualTo(1);
        assertThat(members[1].leafIndex()).isEqualTo(new LeafIndex(1));
        assertThat(members[2].members()).containsOnlyKeys(new LeafIndex(0), new LeafIndex(1), new LeafIndex(2));
        assertThat(members[2].members().get(new LeafIndex(2)).userId()).isEqualTo("guest:c4r01");
        assertThat(members[0].members()).isEqualTo(members[1].members());
    }

    @Test
    void anExternalRemoveCommittedByAnotherMemberRemovesItsTarget() throws Exception {
        MlsMember[] m = threeMembers();
        MlsMember a = m[0];
        MlsMember b = m[1];
        MlsMember c = m[2];
        byte[] before = c.sframeKeys().baseKey();

        byte[] removal = parley.externalRemove(a, c.leafIndex());
        assertThat(a.handle(removal).outcome()).isEqualTo(Outcome.PROPOSAL_QUEUED);
        assertThat(b.handle(removal).outcome()).isEqualTo(Outcome.PROPOSAL_QUEUED);
        assertThat(c.handle(removal).outcome()).isEqualTo(Outcome.REMOVAL_PROPOSED);
        assertThat(b.hasQueuedProposals()).isTrue();

        PendingCommit commit = b.commit(List.of(), List.of());
        assertThat(commit.welcomeMessage()).isEmpty();
        assertThat(Handshake.parse(commit.commitMessage()).content().getCommit().getProposals())
            .singleElement().satisfies(p -> assertThat(p.getType()).isEqualTo(ProposalOrRefType.REFERENCE));

        // the Delivery Service echoes the accepted commit to its sender, which confirms it
        assertThat(b.handle(commit.commitMessage()).outcome()).isEqualTo(Outcome.EPOCH_ADVANCED);
        assertThat(a.handle(commit.commitMessage()).outcome()).isEqualTo(Outcome.EPOCH_ADVANCED);
        assertThat(c.handle(commit.commitMessage()))
            .isEqualTo(new HandleResult(Outcome.REMOVED, 1));

        assertAgree(a, b);
        assertThat(a.epoch()).isEqualTo(2);
        assertThat(a.members()).doesNotContainKey(new LeafIndex(2));
        assertThat(b.hasQueuedProposals()).isFalse();
        assertThat(c.isRemoved()).isTrue();
        assertThat(c.epoch()).isEqualTo(1);
        assertThat(c.sframeKeys().baseKey()).isEqualTo(before).isNotEqualTo(a.sframeKeys().baseKey());
        assertThatThrownBy(() -> c.handle(commit.commitMessage())).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> c.commit(List.of(), List.of())).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void anExternalAddIsCommittedByReferenceAndTheJoinerJoins() throws Exception {
        MlsMember[] m = threeMembers();
        Parley.Device dave = parley.device("dave", "desk");

        byte[] add = parley.externalAdd(m[0], dave.keyPackage().keyPackage());
        for (MlsMember member : m) {
            assertThat(member.handle(add).outcome()).isEqualTo(Outcome.PROPOSAL_QUEUED);
        }
        PendingCommit commit = m[2].commit(List.of(), List.of());
        assertThat(Handshake.parse(commit.commitMessage()).content().getCommit().getProposals())
            .singleElement().satisfies(p -> assertThat(p.getType()).isEqualTo(ProposalOrRefType.REFERENCE));
        m[2].confirm(commit);
        m[0].handle(commit.commitMessage());
        m[1].handle(commit.commitMessage());
        MlsMember d = dave.join(commit.welcomeMessage().orElseThrow());

        assertAgree(m[0], m[1], m[2], d);
        assertThat(d.members().get(d.leafIndex()).userId()).isEqualTo("dave");
    }

    @Test
    void concurrentCommitsForOneEpochConvergeOnTheAcceptedOne() throws Exception {
        MlsMember[] m = threeMembers();
        MlsMember a = m[0];
        MlsMember b = m[1];
        MlsMember c = m[2];
        Parley.Device dave = parley.device("dave", "desk");
        Parley.Device erin = parley.device("erin", "tablet");

        PendingCommit fromA = a.commit(List.of(dave.keyPackage().message()), List.of());
        PendingCommit fromB = b.commit(List.of(erin.keyPackage().message()), List.of(new LeafIndex(2)));
        assertThat(fromA.epoch()).isEqualTo(fromB.epoch()).isEqualTo(1);

        // the Delivery Service takes Alice's commit and refuses Bob's as stale
        a.confirm(fromA);
        b.discard(fromB);
        assertThat(b.handle(fromA.commitMessage()).outcome()).isEqualTo(Outcome.EPOCH_ADVANCED);
        assertThat(c.handle(fromA.commitMessage()).outcome()).isEqualTo(Outcome.EPOCH_ADVANCED);
        assertThat(c.handle(fromB.commitMessage()).outcome()).isEqualTo(Outcome.STALE);
        MlsMember d = dave.join(fromA.welcomeMessage().orElseThrow());
        assertThatThrownBy(() -> b.confirm(fromB)).isInstanceOf(IllegalStateException.class);

        // Bob tries again in the new epoch
        PendingCommit retry = b.commit(List.of(erin.keyPackage().message()), List.of(new LeafIndex(2)));
        assertThat(retry.epoch()).isEqualTo(2);
        b.confirm(retry);
        a.handle(retry.commitMessage());
        d.handle(retry.commitMessage());
        assertThat(c.handle(retry.commitMessage()).outcome()).isEqualTo(Outcome.REMOVED);
        MlsMember e = erin.join(retry.welcomeMessage().orElseThrow());

        assertAgree(a, b, d, e);
        assertThat(a.epoch()).isEqualTo(3);
        assertThat(a.members().values()).extracting(MemberIdentity::userId)
            .containsExactlyInAnyOrder("alice", "bob", "dave", "erin");
    }

    @Test
    void aMessageForAFutureEpochIsAnErrorAndLeavesTheMemberAsItWas() throws Exception {
        MlsMember[] m = threeMembers();
        PendingCommit first = m[0].commit(List.of(), List.of());
        m[0].confirm(first);
        PendingCommit second = m[0].commit(List.of(), List.of());
        m[0].confirm(second);

        assertThatThrownBy(() -> m[1].handle(second.commitMessage()))
            .isInstanceOfSatisfying(FutureEpochException.class, e -> {
                assertThat(e.messageEpoch()).isEqualTo(2);
                assertThat(e.currentEpoch()).isEqualTo(1);
            });
        m[1].handle(first.commitMessage());
        m[1].handle(second.commitMessage());
        assertAgree(m[0], m[1]);
    }

    @Test
    void membersAgreeOnEveryExporterAndSFrameKey() throws Exception {
        MlsMember[] m = threeMembers();
        SFrameKeys mine = m[1].sframeKeys();
        SFrameKeys theirs = m[2].sframeKeys();

        // three members fill a tree of four leaves, and 4 < (1 << 3)
        assertThat(mine.senderBits()).isEqualTo(3);
        assertThat(mine.senderKey(m[1].leafIndex(), 0)).isEqualTo(theirs.senderKey(m[1].leafIndex(), 0));
        assertThat(mine.senderKey(m[1].leafIndex(), 0)).isNotEqualTo(mine.senderKey(m[2].leafIndex(), 0));
        assertThat(m[0].exporter("parley test", new byte[] {1, 2}, 42))
            .isEqualTo(m[2].exporter("parley test", new byte[] {1, 2}, 42))
            .hasSize(42);
    }

    static void assertAgree(MlsMember... members) {
        MlsMember first = members[0];
        for (MlsMember other : members) {
            assertThat(other.epoch()).isEqualTo(first.epoch());
            assertThat(other.groupId()).isEqualTo(first.groupId());
            assertThat(other.epochAuthenticator()).isEqualTo(first.epochAuthenticator());
            assertThat(other.sframeKeys().baseKey()).isEqualTo(first.sframeKeys().baseKey());
            assertThat(other.members()).isEqualTo(first.members());
        }
    }
}
