package dev.parley.keydistribution.group;

import dev.parley.client.kd.CallKeys;
import dev.parley.client.kd.KeyDistributionException;
import dev.parley.client.kd.Wire;
import dev.parley.client.mls.PendingCommit;
import dev.parley.client.mls.SecurityCode;
import dev.parley.client.mls.SFrameKeys;
import dev.parley.events.call.ParticipantId;
import dev.parley.events.room.RoomId;
import dev.parley.keydistribution.CallFixture;
import dev.parley.testing.DemoUser;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Java clients (bcmls) form a call's group through the service, and the group follows the call:
 * a leaver is removed and cannot derive the next epoch's secrets; of two concurrent Commits one
 * wins and the other member retries.
 */
@QuarkusTest
class GroupFormationIT {

    private static final Duration PATIENCE = Duration.ofSeconds(15);

    @TestHTTPResource("/")
    URI base;

    private CallFixture calls;
    private final List<CallKeys> members = new ArrayList<>();

    @BeforeEach
    void open() {
        calls = new CallFixture(base);
    }

    @AfterEach
    void close() {
        members.forEach(CallKeys::close);
        calls.close();
    }

    @Test
    void threeMembersFormAGroupAndALeaverIsLockedOutOfTheNextEpoch() throws Exception {
        RoomId room = CallFixture.newRoom();
        Joined alice = join(room, DemoUser.ALICE);
        Joined bob = join(room, DemoUser.BOB);
        Joined carol = join(room, DemoUser.CAROL);

        for (Joined member : List.of(alice, bob, carol)) {
            member.keys().await(() -> member.keys().joined() && member.keys().leaves().size() == 3, PATIENCE);
        }
        await().atMost(PATIENCE).until(() -> bob.keys().epoch() == alice.keys().epoch() && carol.keys().epoch() == alice.keys().epoch());
        long epoch = alice.keys().epoch();
        assertThat(List.of(bob.keys().epoch(), carol.keys().epoch())).containsOnly(epoch);
        // Each join claimed one of three KeyPackages; told the supply ran low, each device published three more.
        assertThat(bob.device().person().client().supply(bob.device().device().deviceId()).available()).isEqualTo(5);
        byte[] secret = base(alice);
        assertThat(base(bob)).isEqualTo(secret);
        assertThat(base(carol)).isEqualTo(secret);
        assertThat(bob.keys().member().epochAuthenticator()).isEqualTo(alice.keys().member().epochAuthenticator());
        assertThat(SecurityCode.of(carol.keys().member())).isEqualTo(SecurityCode.of(alice.keys().member()))
                .matches("\\d{5}( \\d{5}){5}");

        calls.leave(room, carol.participant(), carol.device().person().userId());

        for (Joined member : List.of(alice, bob)) {
            member.keys().await(() -> member.keys().epoch() == epoch + 1 && member.keys().leaves().size() == 2, PATIENCE);
        }
        carol.keys().await(() -> carol.keys().removed(), PATIENCE);
        byte[] next = base(alice);
        assertThat(base(bob)).isEqualTo(next);
        assertThat(next).isNotEqualTo(secret);
        assertThat(carol.keys().epoch()).isEqualTo(epoch);
        assertThat(base(carol)).isEqualTo(secret).isNotEqualTo(next);
    }

    @Test
    void ofTwoConcurrentCommitsExactlyOneIsAcceptedAndTheOtherMemberRetries() throws Exception {
        RoomId room = CallFixture.newRoom();
        Joined alice = join(room, DemoUser.ALICE);
        Joined bob = join(room, DemoUser.BOB);
        bob.keys().await(() -> bob.keys().joined() && bob.keys().leaves().size() == 2, PATIENCE);
        await().atMost(PATIENCE).until(() -> bob.keys().epoch() == alice.keys().epoch());
        long epoch = alice.keys().epoch();

        PendingCommit fromAlice = alice.keys().prepareCommit();
        PendingCommit fromBob = bob.keys().prepareCommit();
        CompletableFuture<Object> a = CompletableFuture.supplyAsync(() -> outcome(alice.keys(), fromAlice));
        CompletableFuture<Object> b = CompletableFuture.supplyAsync(() -> outcome(bob.keys(), fromBob));
        List<Object> outcomes = List.of(a.get(), b.get());

        assertThat(outcomes).filteredOn(Wire.Verdict.class::isInstance).hasSize(1);
        assertThat(outcomes).filteredOn(KeyDistributionException.class::isInstance).singleElement()
                .satisfies(refused -> assertThat(((KeyDistributionException) refused).isStaleEpoch()).isTrue());
        Joined loser = outcomes.get(0) instanceof KeyDistributionException ? alice : bob;
        Joined winner = loser == alice ? bob : alice;
        loser.keys().await(() -> loser.keys().epoch() == epoch + 1, PATIENCE);

        Wire.Verdict retried = loser.keys().submit(loser.keys().prepareCommit());

        assertThat(retried.epoch()).isEqualTo(epoch + 2);
        winner.keys().await(() -> winner.keys().epoch() == epoch + 2, PATIENCE);
        assertThat(base(winner)).isEqualTo(base(loser));
    }

    @Test
    void anEndedCallClosesItsGroupAndTheNextCallGetsANewOne() throws Exception {
        RoomId room = CallFixture.newRoom();
        Joined alice = join(room, DemoUser.ALICE);
        Joined bob = join(room, DemoUser.BOB);
        bob.keys().await(() -> bob.keys().joined(), PATIENCE);
        byte[] first = alice.keys().member().groupId().value();

        calls.end(room, alice.device().person().userId());

        alice.keys().await(() -> alice.keys().groupClosed(), PATIENCE);
        bob.keys().await(() -> bob.keys().groupClosed(), PATIENCE);
        Joined again = join(room, DemoUser.ALICE);
        again.keys().await(() -> again.keys().joined(), PATIENCE);
        assertThat(again.keys().epoch()).isZero();
        assertThat(again.keys().member().groupId().value()).isNotEqualTo(first);
    }

    private record Joined(CallFixture.RegisteredDevice device, ParticipantId participant, CallKeys keys) {
    }

    private Joined join(RoomId room, DemoUser user) {
        CallFixture.RegisteredDevice device = calls.device(calls.person(user));
        ParticipantId participant = calls.join(room, device.person().userId());
        CallKeys keys = CallKeys.join(device.person().client(), device.keys(), device.device(), room.value(),
                participant.value(), 3);
        members.add(keys);
        return new Joined(device, participant, keys);
    }

    private static byte[] base(Joined member) {
        return member.keys().exporter(SFrameKeys.EXPORTER_LABEL, SFrameKeys.KEY_LENGTH);
    }

    private static Object outcome(CallKeys member, PendingCommit commit) {
        try {
            return member.submit(commit);
        } catch (KeyDistributionException e) {
            return e;
        }
    }
}
