package dev.parley.system;

import dev.parley.testing.DemoUser;
import dev.parley.testing.Keycloak;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;

/**
 * Rooms and invites survive a restart of every service, and even the loss of signaling's Redis
 * views: the compacted topics are the system of record and the views are rebuilt from them.
 */
@ExtendWith(RunningSystem.Extension.class)
class RoomDurabilityIT {

    @Test
    void roomsAndInvitesComeBackAfterEveryServiceRestartsAndTheViewsAreLost(RunningSystem system) throws Exception {
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
        String inviteCode = given().baseUri(system.service("signaling").url())
                .auth().oauth2(alice).contentType(ContentType.JSON).body(Map.of("role", "guest", "maxUses", 7))
                .when().post("/api/v1/rooms/" + roomId + "/invites")
                .then().statusCode(201).extract().path("code");

        system.restartServices(() -> {
            try {
                assertThat(system.redis.forget("parley:room:*", "parley:invite:*", "parley:room-invites:*",
                        "parley:view-offsets:*")).isPositive();
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
        await("the invite view rebuilt from the invites topic").atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> given().baseUri(system.service("signaling").url()).auth().oauth2(alice)
                        .when().get("/api/v1/rooms/" + roomId + "/invites").then().extract()
                        .<List<String>>path("code"), codes -> codes.contains(inviteCode));
        given().baseUri(system.service("signaling").url()).auth().oauth2(alice)
                .when().get("/api/v1/rooms/" + roomId + "/invites")
                .then().statusCode(200)
                .body("[0].maxUses", equalTo(7))
                .body("[0].role", equalTo("guest"));
    }
}
