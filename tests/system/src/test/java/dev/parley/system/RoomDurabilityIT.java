package dev.parley.system;

import dev.parley.testing.DemoUser;
import dev.parley.testing.Keycloak;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;

/**
 * Rooms survive a restart of every service, and even the loss of signaling's Redis view: the
 * compacted rooms topic is the system of record and the view is rebuilt from it.
 */
@ExtendWith(RunningSystem.Extension.class)
class RoomDurabilityIT {

    /** Deletes every key of signaling's room view, as a Redis restart (no persistence) would. */
    private static final String FORGET_ROOM_VIEW = """
            local n = 0
            for _, key in ipairs(redis.call('KEYS', 'parley:room:*')) do
              redis.call('DEL', key); n = n + 1
            end
            redis.call('DEL', 'parley:room-view:offsets')
            return n""";

    @Test
    void roomsComeBackAfterEveryServiceRestartsAndTheViewIsLost(RunningSystem system) throws Exception {
        String alice = Keycloak.accessToken(DemoUser.ALICE);
        String roomId = given().baseUri(system.service("signaling").url())
                .auth().oauth2(alice).contentType(ContentType.JSON)
                .body(Map.of("name", "Survivor", "lobby", true, "maxParticipants", 30))
                .when().post("/api/v1/rooms")
                .then().statusCode(201).extract().path("id");
        given().baseUri(system.service("signaling").url())
                .auth().oauth2(alice).contentType(ContentType.JSON).body(Map.of("locked", true))
                .when().patch("/api/v1/rooms/" + roomId)
                .then().statusCode(200);
        String groupId = awaitGroup(system, alice, roomId);

        system.restartServices(() -> {
            try {
                String deleted = system.redis.eval(FORGET_ROOM_VIEW);
                assertThat(deleted).startsWith(":").isNotEqualTo(":0");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });

        String bob = Keycloak.accessToken(DemoUser.BOB);
        await("the room view rebuilt from the rooms topic").atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> given().baseUri(system.service("signaling").url()).auth().oauth2(bob)
                        .when().get("/api/v1/rooms/" + roomId).statusCode() == 200);
        given().baseUri(system.service("signaling").url()).auth().oauth2(bob)
                .when().get("/api/v1/rooms/" + roomId)
                .then().statusCode(200)
                .body("settings.name", equalTo("Survivor"))
                .body("settings.lobby", equalTo(true))
                .body("settings.locked", equalTo(true))
                .body("settings.maxParticipants", equalTo(30))
                .body("hosts", contains(Keycloak.subject(alice)));
        assertThat(awaitGroup(system, bob, roomId)).isEqualTo(groupId);
    }

    private static String awaitGroup(RunningSystem system, String token, String roomId) {
        return await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                .until(() -> given().baseUri(system.service("key-distribution").url())
                        .auth().oauth2(token).when().get("/api/v1/groups/" + roomId)
                        .then().extract(), response -> response.statusCode() == 200)
                .path("groupId");
    }
}
