package dev.parley.system;

import dev.parley.testing.DemoUser;
import dev.parley.testing.Keycloak;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An event crosses services through the real broker: signaling records a new room on the rooms
 * topic, and key distribution, a separate process, consumes it and opens the room's MLS group.
 */
@ExtendWith(RunningSystem.Extension.class)
class RoomRoundTripIT {

    @Test
    void aRoomCreatedOnSignalingGetsItsGroupOnKeyDistribution(RunningSystem system) {
        String token = Keycloak.accessToken(DemoUser.ALICE);

        String roomId = given().baseUri(system.service("signaling").url())
                .auth().oauth2(token).contentType(ContentType.JSON).body(Map.of("name", "Round trip"))
                .when().post("/api/v1/rooms")
                .then().statusCode(201)
                .extract().path("id");
        long created = System.nanoTime();

        String groupId = await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                .until(() -> given().baseUri(system.service("key-distribution").url())
                        .auth().oauth2(token).when().get("/api/v1/groups/" + roomId)
                        .then().extract(), response -> response.statusCode() == 200)
                .path("groupId");
        System.out.printf("[system] room %s reached key-distribution in %d ms%n", roomId,
                Duration.ofNanos(System.nanoTime() - created).toMillis());

        assertThat(groupId).matches("[A-Za-z0-9_-]{43}");
    }
}
