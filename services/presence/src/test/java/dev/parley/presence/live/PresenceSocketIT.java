package dev.parley.presence.live;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.testing.DemoUser;
import dev.parley.testing.JsonSocket;
import dev.parley.testing.Keycloak;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static dev.parley.testing.JsonSocket.message;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The presence socket against the real Keycloak, Redis and Kafka: live updates of followed users,
 * and ringing with every outcome. The test profile lets a ring ring for 2 s.
 */
@QuarkusTest
class PresenceSocketIT {

    private static final String PATH = "/ws/v1/presence";

    @TestHTTPResource("/")
    URL base;

    @Inject
    RedisDataSource redis;

    private String aliceToken;
    private String bobToken;
    private String bobId;

    @BeforeEach
    void tokens() {
        aliceToken = Keycloak.accessToken(DemoUser.ALICE);
        bobToken = Keycloak.accessToken(DemoUser.BOB);
        bobId = Keycloak.subject(bobToken);
        // Other modules' tests leave BOB in calls on the shared broker; these tests start him free.
        redis.key().del("parley:presence:calls:" + bobId);
    }

    private String url() {
        return base.toString().replaceAll("/$", "");
    }

    private void beat(String token, String device, String status) {
        given().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of("status", status))
                .when().put("/api/v1/presence/me/devices/" + device).then().statusCode(200);
    }

    private static ObjectNode users(ObjectNode message, String... userIds) {
        ArrayNode ids = message.putArray("userIds");
        for (String id : userIds) {
            ids.add(id);
        }
        return message;
    }

    private static JsonNode nextPresence(JsonSocket client, String status) {
        JsonNode presence = client.expect("presence");
        while (!presence.path("status").asText().equals(status)) {
            presence = client.expect("presence");
        }
        return presence;
    }

    @Test
    void aFollowerSeesEveryChangeOfTheUsersItFollows() {
        String device = "dev-" + UUID.randomUUID();
        given().auth().oauth2(bobToken).when().delete("/api/v1/presence/me/devices/" + device).then().statusCode(204);
        try (JsonSocket alice = JsonSocket.welcomed(url(), PATH, aliceToken, "alice")) {
            alice.send(users(message("subscribe").put("id", "s1"), bobId));
            JsonNode subscribed = alice.expect("subscribed");
            assertThat(subscribed.path("ref").asText()).isEqualTo("s1");
            JsonNode first = alice.expect("presence");
            assertThat(first.path("userId").asText()).isEqualTo(bobId);

            beat(bobToken, device, "busy");
            JsonNode busy = nextPresence(alice, "busy");
            assertThat(busy.path("version").asLong()).isGreaterThan(first.path("version").asLong());
            beat(bobToken, device, "away");
            nextPresence(alice, "away");

            alice.send(users(message("unsubscribe"), bobId));
            alice.expect("unsubscribed");
            beat(bobToken, device, "online");
            assertThat(alice.poll(Duration.ofMillis(750))).isNull();
        } finally {
            given().auth().oauth2(bobToken).when().delete("/api/v1/presence/me/devices/" + device);
        }
    }

    @Test
    void ringingReachesEveryDeviceOfTheCalleeAndTheAnswerReachesTheCaller() {
        String device = "dev-" + UUID.randomUUID();
        beat(bobToken, device, "online");
        try (JsonSocket alice = JsonSocket.welcomed(url(), PATH, aliceToken, "alice");
             JsonSocket bobLaptop = JsonSocket.welcomed(url(), PATH, bobToken, "bob-laptop");
             JsonSocket bobPhone = JsonSocket.welcomed(url(), PATH, bobToken, "bob-phone")) {
            alice.send(message("ring").put("id", "r1").put("userId", bobId).put("roomId", "abcd-efgh-ijkl")
                    .put("inviteCode", "AAAAAAAAAAAAAAAAAAAAAA"));
            JsonNode ringing = alice.expect("ringing");
            String ringId = ringing.path("ringId").asText();
            for (JsonSocket bob : new JsonSocket[] {bobLaptop, bobPhone}) {
                JsonNode incoming = bob.expect("incoming-call");
                assertThat(incoming.path("ringId").asText()).isEqualTo(ringId);
                assertThat(incoming.path("roomId").asText()).isEqualTo("abcd-efgh-ijkl");
                assertThat(incoming.path("inviteCode").asText()).isEqualTo("AAAAAAAAAAAAAAAAAAAAAA");
                assertThat(incoming.path("from").path("userId").asText()).isEqualTo(Keycloak.subject(aliceToken));
            }
            bobPhone.send(message("answer-ring").put("ringId", ringId).put("accept", true));
            JsonNode accepted = alice.expect("ring-accepted");
            assertThat(accepted.path("ringId").asText()).isEqualTo(ringId);
            for (JsonSocket bob : new JsonSocket[] {bobLaptop, bobPhone}) {
                assertThat(bob.expect("ring-ended").path("outcome").asText()).isEqualTo("accepted");
            }
            // Answered once: the other device's answer comes too late.
            bobLaptop.send(message("answer-ring").put("id", "late").put("ringId", ringId).put("accept", false));
            assertThat(bobLaptop.expect("error").path("code").asText()).isEqualTo("ring-not-found");
        } finally {
            given().auth().oauth2(bobToken).when().delete("/api/v1/presence/me/devices/" + device);
        }
    }

    @Test
    void aDeclinedRingAndAnUnansweredRingEndForBothSides() {
        String device = "dev-" + UUID.randomUUID();
        beat(bobToken, device, "online");
        try (JsonSocket alice = JsonSocket.welcomed(url(), PATH, aliceToken, "alice");
             JsonSocket bob = JsonSocket.welcomed(url(), PATH, bobToken, "bob")) {
            alice.send(message("ring").put("userId", bobId).put("roomId", "abcd-efgh-ijkl"));
            String declined = alice.expect("ringing").path("ringId").asText();
            bob.expect("incoming-call");
            bob.send(message("answer-ring").put("ringId", declined).put("accept", false));
            assertThat(alice.expect("ring-declined").path("ringId").asText()).isEqualTo(declined);
            assertThat(bob.expect("ring-ended").path("outcome").asText()).isEqualTo("declined");

            long rang = System.nanoTime();
            alice.send(message("ring").put("userId", bobId).put("roomId", "abcd-efgh-ijkl"));
            String unanswered = alice.expect("ringing").path("ringId").asText();
            bob.expect("incoming-call");
            JsonNode timedOut = alice.expect("ring-ended");
            assertThat(timedOut.path("ringId").asText()).isEqualTo(unanswered);
            assertThat(timedOut.path("outcome").asText()).isEqualTo("timed-out");
            assertThat(Duration.ofNanos(System.nanoTime() - rang)).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
            assertThat(bob.expect("ring-ended").path("outcome").asText()).isEqualTo("timed-out");
        } finally {
            given().auth().oauth2(bobToken).when().delete("/api/v1/presence/me/devices/" + device);
        }
    }

    @Test
    void ringingSomeoneBusyOrOfflineSaysSo() {
        String device = "dev-" + UUID.randomUUID();
        try (JsonSocket alice = JsonSocket.welcomed(url(), PATH, aliceToken, "alice")) {
            alice.send(message("ring").put("id", "off").put("userId", "nobody-" + UUID.randomUUID()).put("roomId", "abcd-efgh-ijkl"));
            JsonNode offline = alice.expect("error");
            assertThat(offline.path("code").asText()).isEqualTo("callee-offline");
            assertThat(offline.path("ref").asText()).isEqualTo("off");

            beat(bobToken, device, "busy");
            alice.send(message("ring").put("id", "busy").put("userId", bobId).put("roomId", "abcd-efgh-ijkl"));
            JsonNode busy = alice.expect("error");
            assertThat(busy.path("code").asText()).isEqualTo("callee-busy");
            assertThat(busy.path("status").asText()).isEqualTo("busy");
        } finally {
            given().auth().oauth2(bobToken).when().delete("/api/v1/presence/me/devices/" + device);
        }
    }
}
