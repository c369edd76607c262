package dev.parley.system;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.client.kd.CallKeys;
import dev.parley.client.kd.KeyDistributionClient;
import dev.parley.client.kd.KeyDistributionException;
import dev.parley.client.kd.Wire;
import dev.parley.client.mls.DeviceKeys;
import dev.parley.client.mls.SFrameKeys;
import dev.parley.testing.DemoUser;
import dev.parley.testing.JsonSocket;
import dev.parley.testing.Keycloak;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import static dev.parley.testing.JsonSocket.message;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A call's MLS group on real processes: signaling's events drive key distribution, which runs as
 * two replicas; one is killed in the middle of a run of Commits, and nothing is lost or reordered.
 */
@ExtendWith(RunningSystem.Extension.class)
class CallGroupIT {

    private static final Duration PATIENCE = Duration.ofSeconds(20);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

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
            Member alice = member(signaling, roomId, aliceToken, null, List.of(first, second), open);
            Member bob = member(signaling, roomId, Keycloak.accessToken(DemoUser.BOB), aliceToken, List.of(second, first), open);
            Member carol = member(signaling, roomId, Keycloak.accessToken(DemoUser.CAROL), aliceToken, List.of(first, second), open);
            List<Member> all = List.of(alice, bob, carol);
            awaitConverged(all, 3);

            // Alice (via the first replica) and Bob (via the second) commit in turns; the second
            // replica is killed while Bob's tenth Commit is on its way.
            CompletableFuture<Void> killed = null;
            for (int step = 0; step < 20; step++) {
                Member committer = step % 2 == 0 ? alice : bob;
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
                awaitConverged(all, 3);
                if (committer.keys().epoch() == before) {
                    step--; // Not in the log: make it again through the surviving replica.
                }
            }
            killed.get();
            assertThat(alice.keys().epoch()).isGreaterThanOrEqualTo(20);
            byte[] secret = base(alice);
            assertThat(base(bob)).isEqualTo(secret);
            assertThat(base(carol)).isEqualTo(secret);
            List<Wire.GroupMessage> log = alice.client().messages(roomId, null, -1);
            for (int i = 0; i < log.size(); i++) {
                assertThat(log.get(i).index()).isEqualTo(i);
            }

            // Carol leaves the call on signaling: key distribution removes her, and she is locked out.
            carol.call().send(message("leave"));
            long epoch = alice.keys().epoch();
            for (Member member : List.of(alice, bob)) {
                member.keys().await(() -> member.keys().epoch() > epoch && member.keys().leaves().size() == 2, PATIENCE);
            }
            carol.keys().await(() -> carol.keys().removed(), PATIENCE);
            assertThat(base(bob)).isEqualTo(base(alice)).isNotEqualTo(base(carol));
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
            KeyDistributionClient alice = client(Keycloak.accessToken(DemoUser.ALICE), List.of(first));
            DeviceKeys keys = DeviceKeys.generate();
            Wire.Device device = alice.register(keys);
            KeyDistributionClient viaFirst = client(Keycloak.accessToken(DemoUser.BOB), List.of(first));
            KeyDistributionClient viaSecond = client(Keycloak.accessToken(DemoUser.CAROL), List.of(second));
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

    private record Member(JsonSocket call, KeyDistributionClient client, CallKeys keys) {
    }

    /** Joins the call on signaling (invited by the host unless it is the host), then its group. */
    private static Member member(ServiceProcess signaling, String roomId, String token, String hostToken,
                                 List<ServiceProcess> replicas, List<AutoCloseable> open) {
        if (hostToken != null) {
            String code = given().baseUri(signaling.url()).auth().oauth2(hostToken).contentType(ContentType.JSON)
                    .body(Map.of("role", "participant", "maxUses", 1))
                    .when().post("/api/v1/rooms/" + roomId + "/invites").then().statusCode(201).extract().path("code");
            given().baseUri(signaling.url()).auth().oauth2(token).contentType(ContentType.JSON).body(Map.of())
                    .when().post("/api/v1/invites/" + code + "/redeem").then().statusCode(200);
        }
        JsonSocket call = JsonSocket.welcomed(signaling.url(), "/ws/v1", token, Keycloak.subject(token));
        open.add(call);
        call.send(message("join").put("roomId", roomId));
        JsonNode joined = call.expect("joined");
        KeyDistributionClient client = client(token, replicas);
        DeviceKeys keys = DeviceKeys.generate();
        CallKeys callKeys = CallKeys.join(client, keys, client.register(keys), roomId,
                joined.path("you").path("participantId").asText(), 3);
        open.add(callKeys);
        return new Member(call, client, callKeys);
    }

    private static void awaitConverged(List<Member> members, int size) throws Exception {
        for (Member member : members) {
            member.keys().await(() -> member.keys().joined() && member.keys().leaves().size() == size, PATIENCE);
        }
        await("one epoch for all").atMost(PATIENCE).pollInterval(Duration.ofMillis(5)).until(() ->
                members.stream().map(member -> member.keys().epoch()).distinct().count() == 1);
        for (Member member : members) {
            member.keys().await(() -> true, PATIENCE); // Rethrows anything its stream failed on.
        }
    }

    private static KeyDistributionClient client(String token, List<ServiceProcess> replicas) {
        return new KeyDistributionClient(HTTP, replicas.stream().map(replica -> URI.create(replica.url())).toList(), () -> token);
    }

    private static Object claim(KeyDistributionClient client, Wire.Device device) {
        try {
            return client.claim(device.deviceId());
        } catch (KeyDistributionException e) {
            return e.problem();
        }
    }


    private static byte[] base(Member member) {
        return member.keys().exporter(SFrameKeys.EXPORTER_LABEL, SFrameKeys.KEY_LENGTH);
    }
}
