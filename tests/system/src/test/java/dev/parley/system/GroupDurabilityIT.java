package dev.parley.system;

import dev.parley.client.kd.KeyDistributionClient;
import dev.parley.client.kd.KeyDistributionException;
import dev.parley.client.kd.Wire;
import dev.parley.testing.DemoUser;
import dev.parley.testing.JsonSocket;
import dev.parley.testing.Keycloak;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.parley.testing.JsonSocket.message;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Kafka is the durable log of every call group: what key distribution accepted survives a broker
 * restart, and the groups' state in Redis can be rebuilt from the log alone.
 */
@ExtendWith(RunningSystem.Extension.class)
class GroupDurabilityIT {

    @Test
    void whatWasAcceptedSurvivesABrokerRestartAndTheLossOfTheGroupsState(RunningSystem system) throws Exception {
        String aliceToken = Keycloak.accessToken(DemoUser.ALICE);
        String roomId = given().baseUri(system.service("signaling").url()).auth().oauth2(aliceToken).contentType(ContentType.JSON)
                .body(Map.of("name", "Durable keys")).when().post("/api/v1/rooms").then().statusCode(201).extract().path("id");
        List<AutoCloseable> open = new ArrayList<>();
        try {
            ServiceProcess keys = system.service("key-distribution");
            CallMembers.Member alice = CallMembers.join(system.service("signaling"), roomId, aliceToken, null, List.of(keys), open);
            CallMembers.Member bob = CallMembers.join(system.service("signaling"), roomId, Keycloak.accessToken(DemoUser.BOB),
                    aliceToken, List.of(keys), open);
            List<CallMembers.Member> both = List.of(alice, bob);
            CallMembers.awaitConverged(both, 2);
            for (int i = 0; i < 4; i++) {
                CallMembers.Member committer = both.get(i % 2);
                committer.keys().submit(committer.keys().prepareCommit());
                CallMembers.awaitConverged(both, 2);
            }
            List<Wire.GroupMessage> accepted = alice.client().messages(roomId, null, -1);

            // While the broker is away nothing is accepted, and nothing half-accepted shows up later.
            system.broker.stop();
            await().atMost(Duration.ofSeconds(15)).until(() -> keys.readiness() == 503);
            assertThatThrownBy(() -> alice.keys().submit(alice.keys().prepareCommit()))
                    .isInstanceOfSatisfying(KeyDistributionException.class, e -> assertThat(e.problem()).isEqualTo("log-unavailable"));
            system.broker.start();
            await().atMost(Duration.ofSeconds(60)).until(() -> system.allReadinessEquals(200));
            assertThat(alice.client().messages(roomId, null, -1)).isEqualTo(accepted);
            long epoch = alice.keys().epoch();
            bob.keys().submit(bob.keys().prepareCommit());
            CallMembers.awaitConverged(both, 2);
            assertThat(alice.keys().epoch()).isEqualTo(epoch + 1);
            List<Wire.GroupMessage> after = alice.client().messages(roomId, null, -1);
            assertThat(after).startsWith(accepted.toArray(Wire.GroupMessage[]::new)).hasSize(accepted.size() + 1);
            Wire.GroupView group = alice.client().group(roomId);

            // Redis loses every group's state: restarted replicas rebuild it from the log.
            system.restartServices(() -> {
                try {
                    assertThat(system.redis.forget("parley:kd:group:*", "parley:kd:messages:*", "parley:kd:verdict:*",
                            "parley:kd:log-positions")).isPositive();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            // Alice is back in the call (the restart cut every call connection) and reads the group.
            JsonSocket again = JsonSocket.welcomed(system.service("signaling").url(), "/ws/v1", aliceToken, "alice-again");
            open.add(again);
            again.send(message("join").put("roomId", roomId));
            again.expect("joined");
            KeyDistributionClient fresh = CallMembers.client(aliceToken, List.of(system.service("key-distribution")));
            await("the groups rebuilt from parley.groups").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .until(() -> fresh.messages(roomId, null, -1).size() >= after.size());
            // Departures of the cut connections may follow (as Remove proposals), after what was there.
            assertThat(fresh.messages(roomId, null, -1).subList(0, after.size())).isEqualTo(after);
            assertThat(fresh.group(roomId)).extracting(Wire.GroupView::groupId, Wire.GroupView::epoch)
                    .containsExactly(group.groupId(), group.epoch());
        } finally {
            for (AutoCloseable closeable : open) {
                closeable.close();
            }
        }
    }
}
