package dev.parley.system;

import dev.parley.client.kd.KeyDistributionClient;
import dev.parley.client.kd.KeyDistributionException;
import dev.parley.client.kd.Wire;
import dev.parley.client.mls.DeviceKeys;
import dev.parley.testing.DemoUser;
import dev.parley.testing.Keycloak;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import static dev.parley.testing.JsonSocket.message;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A call's MLS group on real processes: signaling's events drive key distribution, which runs as
 * two replicas; one is killed in the middle of a run of Commits, and nothing is lost or reordered.
 */
@ExtendWith(RunningSystem.Extension.class)
class CallGroupIT {

    private static final Duration PATIENCE = CallMembers.PATIENCE;

    @Test
    void signalingDrivesTheGroupAndAKilledReplicaLosesNothing(RunningSystem system) throws Exception {
        ServiceProcess signaling = system.service("signaling");
        ServiceProcess first = system.service("key-distribution");
        ServiceProcess second = system.startReplica("key-distribution");
        List<AutoCloseable> open = new ArrayList<>();
        try {
            String aliceToken = Keycloak.accessToken(DemoUser.ALICE);
            String roomId = given().baseUri(signaling.url()).auth().oauth2(aliceToken).contentType(ContentType.JSON)
                    .body(Map.of("name", "Keys")).when().post("/api/v1/rooms").then().statusCode(201).extract().path("id");
            CallMembers.Member alice = CallMembers.join(signaling, roomId, aliceToken, null, List.of(first, second), open);
            CallMembers.Member bob = CallMembers.join(signaling, roomId, Keycloak.accessToken(DemoUser.BOB), aliceToken, List.of(second, first), open);
            CallMembers.Member carol = CallMembers.join(signaling, roomId, Keycloak.accessToken(DemoUser.CAROL), aliceToken, List.of(first, second), open);
            List<CallMembers.Member> all = List.of(alice, bob, carol);
            CallMembers.awaitConverged(all, 3);

            // Alice (via the first replica) and Bob (via the second) commit in turns; the second
            // replica is killed while Bob's tenth Commit is on its way.
            CompletableFuture<Void> killed = null;
            for (int step = 0; step < 20; step++) {
                CallMembers.Member committer = step % 2 == 0 ? alice : bob;
                if (step == 9) {
                    killed = CompletableFuture.runAsync(() -> {
                        try {
                            second.kill();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    });
                }
                long before = committer.keys().epoch();
                try {
                    committer.keys().submit(committer.keys().prepareCommit());
                } catch (UncheckedIOException | KeyDistributionException e) {
                    // The replica died under it, or the Commit lost to its own copy: the stream says which.
                }
                CallMembers.awaitConverged(all, 3);
                if (committer.keys().epoch() == before) {
                    step--; // Not in the log: make it again through the surviving replica.
                }
            }
            killed.get();
            assertThat(alice.keys().epoch()).isGreaterThanOrEqualTo(20);
            byte[] secret = CallMembers.base(alice);
            assertThat(CallMembers.base(bob)).isEqualTo(secret);
            assertThat(CallMembers.base(carol)).isEqualTo(secret);
            List<Wire.GroupMessage> log = alice.client().messages(roomId, null, -1);
            for (int i = 0; i < log.size(); i++) {
                assertThat(log.get(i).index()).isEqualTo(i);
            }

            // Carol leaves the call on signaling: key distribution removes her, and she is locked out.
            carol.call().send(message("leave"));
            long epoch = alice.keys().epoch();
            for (CallMembers.Member member : List.of(alice, bob)) {
                member.keys().await(() -> member.keys().epoch() > epoch && member.keys().leaves().size() == 2, PATIENCE);
            }
            carol.keys().await(() -> carol.keys().removed(), PATIENCE);
            assertThat(CallMembers.base(bob)).isEqualTo(CallMembers.base(alice)).isNotEqualTo(CallMembers.base(carol));
        } finally {
            for (AutoCloseable closeable : open) {
                closeable.close();
            }
            second.close();
        }
    }

    @Test
    void twoReplicasHandOutEachKeyPackageOnce(RunningSystem system) throws Exception {
        ServiceProcess first = system.service("key-distribution");
        ServiceProcess second = system.startReplica("key-distribution");
        try {
            KeyDistributionClient alice = CallMembers.client(Keycloak.accessToken(DemoUser.ALICE), List.of(first));
            DeviceKeys keys = DeviceKeys.generate();
            Wire.Device device = alice.register(keys);
            KeyDistributionClient viaFirst = CallMembers.client(Keycloak.accessToken(DemoUser.BOB), List.of(first));
            KeyDistributionClient viaSecond = CallMembers.client(Keycloak.accessToken(DemoUser.CAROL), List.of(second));
            for (int round = 0; round < 20; round++) {
                byte[] published = keys.newKeyPackage(device.credential()).message();
                alice.upload(device.deviceId(), List.of(published), Optional.empty());

                CompletableFuture<Object> a = CompletableFuture.supplyAsync(() -> claim(viaFirst, device));
                CompletableFuture<Object> b = CompletableFuture.supplyAsync(() -> claim(viaSecond, device));
                List<Object> outcomes = List.of(a.get(), b.get());

                assertThat(outcomes).filteredOn(Wire.Claimed.class::isInstance).singleElement()
                        .satisfies(claimed -> assertThat(((Wire.Claimed) claimed).keyPackage())
                                .isEqualTo(KeyDistributionClient.encode(published)));
                assertThat(outcomes).filteredOn(String.class::isInstance).containsExactly("no-key-package");
            }
        } finally {
            second.close();
        }
    }

    private static Object claim(KeyDistributionClient client, Wire.Device device) {
        try {
            return client.claim(device.deviceId());
        } catch (KeyDistributionException e) {
            return e.problem();
        }
    }
}
