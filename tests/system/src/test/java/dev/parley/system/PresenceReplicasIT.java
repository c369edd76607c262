package dev.parley.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.testing.DemoUser;
import dev.parley.testing.JsonSocket;
import dev.parley.testing.Keycloak;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.parley.testing.JsonSocket.message;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two presence processes share one truth: the same answers for the same users, and a change made
 * through one reaches a subscriber of the other.
 */
@ExtendWith(RunningSystem.Extension.class)
class PresenceReplicasIT {

    @Test
    void twoPresenceReplicasGiveTheSameAnswersAndShareLiveUpdates(RunningSystem system) throws Exception {
        ServiceProcess first = system.service("presence");
        ServiceProcess second = system.startReplica("presence");
        String aliceToken = Keycloak.accessToken(DemoUser.ALICE);
        // Dave takes part in no other system test's call, so his presence follows only this test.
        String daveToken = Keycloak.accessToken(DemoUser.DAVE);
        String daveId = Keycloak.subject(daveToken);
        String device = "dev-" + UUID.randomUUID();
        try (JsonSocket follower = JsonSocket.welcomed(second.url(), "/ws/v1/presence", aliceToken, "alice")) {
            ObjectNode subscribe = message("subscribe");
            subscribe.putArray("userIds").add(daveId);
            follower.send(subscribe);
            follower.expect("subscribed");
            follower.expect("presence");

            beat(first, daveToken, device, "busy");
            JsonNode update = follower.expect("presence");
            while (!update.path("status").asText().equals("busy")) {
                update = follower.expect("presence");
            }
            assertThat(answer(first, aliceToken, daveId)).isEqualTo(answer(second, aliceToken, daveId));
            assertThat(answer(second, aliceToken, daveId).path("status").asText()).isEqualTo("busy");

            given().baseUri(second.url()).auth().oauth2(daveToken).when().delete("/api/v1/presence/me/devices/" + device)
                    .then().statusCode(204);
            JsonNode gone = follower.expect("presence");
            while (gone.path("version").asLong() <= update.path("version").asLong()) {
                gone = follower.expect("presence");
            }
            List<JsonNode> both = List.of(answer(first, aliceToken, daveId), answer(second, aliceToken, daveId));
            assertThat(both.get(0)).isEqualTo(both.get(1));
            assertThat(both.get(0).path("version").asLong()).isEqualTo(gone.path("version").asLong());
            assertThat(follower.poll(Duration.ofMillis(500))).isNull();
        } finally {
            second.close();
        }
    }

    private static void beat(ServiceProcess presence, String token, String device, String status) {
        given().baseUri(presence.url()).auth().oauth2(token).contentType(ContentType.JSON).body(Map.of("status", status))
                .when().put("/api/v1/presence/me/devices/" + device).then().statusCode(200);
    }

    private static JsonNode answer(ServiceProcess presence, String token, String userId) {
        return given().baseUri(presence.url()).auth().oauth2(token)
                .when().get("/api/v1/presence/users/" + userId).then().statusCode(200).extract().as(JsonNode.class);
    }
}
