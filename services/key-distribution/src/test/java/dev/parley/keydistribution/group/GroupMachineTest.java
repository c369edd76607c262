package dev.parley.keydistribution.group;

import dev.parley.client.mls.CredentialChain;
import dev.parley.client.mls.CredentialVerifier;
import dev.parley.client.mls.DeviceKeys;
import dev.parley.client.mls.ExternalSenderKey;
import dev.parley.client.mls.GroupId;
import dev.parley.client.mls.HandleResult;
import dev.parley.client.mls.KeyPackageBundle;
import dev.parley.client.mls.MlsMember;
import dev.parley.client.mls.PendingCommit;
import dev.parley.events.call.ParticipantId;
import dev.parley.events.identity.UserId;
import dev.parley.events.room.RoomId;
import dev.parley.keydistribution.identity.Bytes;
import dev.parley.keydistribution.identity.CertificateAuthority;
import dev.parley.keydistribution.identity.DeviceId;
import dev.parley.keydistribution.mls.ExternalProposals;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Delivery Service's rules, fed real MLS messages from bcmls members: who creates, who is
 * proposed, which Commit wins, and which are refused and why.
 */
class GroupMachineTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final RoomId ROOM = RoomId.random(RANDOM);

    private final CertificateAuthority authority = new CertificateAuthority(
            Base64.getEncoder().encodeToString(new byte[32]), "Test", Duration.ofDays(1), Clock.systemUTC());
    private final GroupMachine machine = new GroupMachine(new ExternalProposals(authority.externalSenderPrivateKey()));
    private final CredentialVerifier verifier = new CredentialVerifier(authority.caCertificate());
    private final ExternalSenderKey service = new ExternalSenderKey(authority.externalSenderKey(),
            CredentialChain.of(authority.externalSenderCertificate(), authority.caCertificate()));
    private final Map<String, Device> devices = new HashMap<>();
    private GroupState state;

    private record Device(ParticipantId participant, DeviceId id, DeviceKeys keys, CredentialChain chain, KeyPackageBundle keyPackage) {
    }

    @BeforeEach
    void reset() {
        state = null;
    }

    @Test
    void theFirstJoinOpensTheGroupAndLaterOnesBecomeExternalAdds() throws Exception {
        MlsMember alice = create("alice");

        GroupMachine.Transition joined = apply(join("bob"));

        assertThat(joined.verdict().outcome()).isEqualTo(Verdict.AWAIT_WELCOME);
        assertThat(joined.messages()).singleElement().extracting(GroupMessage::kind).isEqualTo(GroupMessage.PROPOSAL);
        assertThat(alice.handle(bytes(joined.messages().get(0))).outcome()).isEqualTo(HandleResult.Outcome.PROPOSAL_QUEUED);
        PendingCommit commit = alice.commit(List.of(), List.of());
        GroupMachine.Transition accepted = apply(submit("alice", commit));

        assertThat(accepted.verdict().outcome()).isEqualTo(Verdict.ACCEPTED);
        assertThat(accepted.verdict().epoch()).isEqualTo(1);
        assertThat(accepted.messages()).extracting(GroupMessage::kind).containsExactly(GroupMessage.COMMIT, GroupMessage.WELCOME);
        assertThat(state.leaves()).extracting(GroupState.Leaf::deviceId).containsExactly(devices.get("alice").id(), devices.get("bob").id());
        assertThat(state.joins()).isEmpty();
        Device bob = devices.get("bob");
        assertThat(MlsMember.join(bytes(accepted.messages().get(1)), List.of(bob.keyPackage()), bob.keys(), service, verifier)).isPresent();
    }

    @Test
    void aCommitThatKeepsSomeoneWhoLeftIsRefused() throws Exception {
        MlsMember alice = create("alice");
        alice = addAndCommit(alice, "bob");
        apply(new GroupRecord.MemberDeparted(ROOM, devices.get("bob").participant(), Instant.now()));
        assertThat(state.doomed()).containsExactly(1);

        GroupMachine.Transition refused = apply(submit("alice", alice.commit(List.of(), List.of())));

        assertThat(refused.verdict().outcome()).isEqualTo(Verdict.REFUSED_PROPOSAL);
        assertThat(refused.messages()).isEmpty();
        assertThat(state.epoch()).isEqualTo(1);
    }

    @Test
    void theFirstCommitOfAnEpochWinsAndTheRestAreTypedRefusals() throws Exception {
        MlsMember alice = create("alice");
        alice = addAndCommit(alice, "bob");
        PendingCommit first = alice.commit(List.of(), List.of());
        PendingCommit second = alice.commit(List.of(), List.of());

        assertThat(apply(submit("alice", first)).verdict().outcome()).isEqualTo(Verdict.ACCEPTED);
        GroupMachine.Transition stale = apply(submit("alice", second));
        assertThat(stale.verdict().outcome()).isEqualTo(Verdict.STALE_EPOCH);
        assertThat(stale.verdict().epoch()).isEqualTo(2);

        alice.confirm(first);
        assertThat(apply(submit("bob", alice.commit(List.of(), List.of()))).verdict().outcome()).isEqualTo(Verdict.NOT_YOUR_LEAF);
        assertThat(apply(new GroupRecord.HandshakeSubmitted(ROOM, devices.get("alice").id(), Bytes.encode(new byte[]{0, 1, 0, 1, 9}),
                null, Instant.now())).verdict().outcome()).isEqualTo(Verdict.MALFORMED);
        GroupState current = state;
        state = new GroupState(Bytes.encode(new byte[32]), current.epoch(), current.leaves(), current.joins(), current.doomed(),
                current.proposals(), current.nextIndex(), true);
        assertThat(apply(submit("alice", alice.commit(List.of(), List.of()))).verdict().outcome()).isEqualTo(Verdict.WRONG_GROUP);
        assertThat(state.epoch()).isEqualTo(2);
    }

    @Test
    void aCommitReferringToAProposalOfAnotherEpochIsRefused() throws Exception {
        MlsMember alice = create("alice");
        GroupMachine.Transition joined = apply(join("bob"));
        alice.handle(bytes(joined.messages().get(0)));
        PendingCommit byReference = alice.commit(List.of(), List.of());
        state = new GroupState(state.groupId(), state.epoch(), state.leaves(), state.joins(), state.doomed(), Map.of(),
                state.nextIndex(), true);

        assertThat(apply(submit("alice", byReference)).verdict().outcome()).isEqualTo(Verdict.UNKNOWN_PROPOSAL);
    }

    @Test
    void whenEveryoneHasLeftTheGroupClosesAndTheNextJoinOpensANewOne() throws Exception {
        MlsMember alice = create("alice");
        addAndCommit(alice, "bob");
        String first = state.groupId();

        apply(new GroupRecord.MemberDeparted(ROOM, devices.get("bob").participant(), Instant.now()));
        GroupMachine.Transition last = apply(new GroupRecord.MemberDeparted(ROOM, devices.get("alice").participant(), Instant.now()));

        assertThat(last.messages()).extracting(GroupMessage::kind).containsExactly(GroupMessage.CLOSED);
        assertThat(state.open()).isFalse();
        assertThat(apply(submit("alice", alice.commit(List.of(), List.of()))).verdict().outcome()).isEqualTo(Verdict.NO_GROUP);
        GroupMachine.Transition reopened = apply(join("carol"));
        assertThat(reopened.verdict().outcome()).isEqualTo(Verdict.CREATE);
        assertThat(reopened.fresh()).isTrue();
        assertThat(state.groupId()).isNotEqualTo(first);
        assertThat(state.epoch()).isZero();
    }

    private MlsMember create(String name) throws Exception {
        GroupMachine.Transition opened = apply(join(name));
        assertThat(opened.verdict().outcome()).isEqualTo(Verdict.CREATE);
        Device device = devices.get(name);
        return MlsMember.create(new GroupId(Bytes.decode(state.groupId()).orElseThrow()), device.keys(), device.chain(), service, verifier);
    }

    /** Proposes {@code name}, has {@code committer} commit it; returns the committer in the new epoch. */
    private MlsMember addAndCommit(MlsMember committer, String name) throws Exception {
        GroupMachine.Transition joined = apply(join(name));
        committer.handle(bytes(joined.messages().get(0)));
        PendingCommit commit = committer.commit(List.of(), List.of());
        assertThat(apply(submit("alice", commit)).verdict().outcome()).isEqualTo(Verdict.ACCEPTED);
        committer.confirm(commit);
        return committer;
    }

    private GroupRecord.JoinRequested join(String name) {
        DeviceKeys keys = DeviceKeys.generate();
        DeviceId id = DeviceId.random(RANDOM);
        UserId user = new UserId(name);
        CredentialChain chain = CredentialChain.of(authority.issueDevice(id, user, Optional.empty(), keys.publicKey()),
                authority.caCertificate());
        KeyPackageBundle keyPackage = keys.newKeyPackage(chain);
        Device device = new Device(ParticipantId.random(RANDOM), id, keys, chain, keyPackage);
        devices.put(name, device);
        byte[] groupId = new byte[32];
        RANDOM.nextBytes(groupId);
        return new GroupRecord.JoinRequested(ROOM, device.participant(), user, id, Bytes.encode(keys.publicKey()),
                Bytes.encode(keyPackage.message()), Bytes.encode(groupId), Instant.now());
    }

    private GroupRecord.HandshakeSubmitted submit(String name, PendingCommit commit) {
        return new GroupRecord.HandshakeSubmitted(ROOM, devices.get(name).id(), Bytes.encode(commit.commitMessage()),
                commit.welcomeMessage().map(Bytes::encode).orElse(null), Instant.now());
    }

    private GroupMachine.Transition apply(GroupRecord record) {
        GroupMachine.Transition transition = machine.apply(state, record);
        state = transition.state();
        return transition;
    }

    private static byte[] bytes(GroupMessage message) {
        return Bytes.decode(message.message()).orElseThrow();
    }
}
