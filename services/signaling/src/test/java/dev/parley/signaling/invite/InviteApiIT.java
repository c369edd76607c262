package dev.parley.signaling.invite;

import dev.parley.testing.DemoUser;
import dev.parley.testing.Keycloak;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;

/** Hosts manage their rooms' invite links, against the real Kafka, Redis and Keycloak. */
@QuarkusTest
class InviteApiIT {

    private static String alice;
    private static String bob;

    @BeforeAll
    static void tokens() {
        alice = Keycloak.accessToken(DemoUser.ALICE);
        bob = Keycloak.accessToken(DemoUser.BOB);
    }

    private static String newRoom(Map<String, Object> settings) {
        return given().auth().oauth2(alice).contentType(ContentType.JSON).body(settings)
                .when().post("/api/v1/rooms")
                .then().statusCode(201).extract().path("id");
    }

    private static ValidatableResponse invite(String token, String roomId, Object body) {
        return given().auth().oauth2(token).contentType(ContentType.JSON).body(body)
                .when().post("/api/v1/rooms/" + roomId + "/invites")
                .then();
    }

    @Test
    void aHostCreatesListsAndRevokesInvites() {
        String roomId = newRoom(Map.of("name", "Invites", "maxParticipants", 40));

        String guestCode = invite(alice, roomId, Map.of("role", "guest")).statusCode(201)
                .body("roomId", equalTo(roomId))
                .body("role", equalTo("guest"))
                .body("maxUses", equalTo(40))
                .body("uses", equalTo(0))
                .body("usable", equalTo(true))
                .body("createdBy", equalTo(Keycloak.subject(alice)))
                .extract().path("code");
        assertThat(guestCode).matches("[A-Za-z0-9_-]{22}");
        String expiresAt = given().auth().oauth2(alice).when().get("/api/v1/rooms/" + roomId + "/invites")
                .then().extract().path("[0].expiresAt");
        assertThat(Duration.between(Instant.now(), Instant.parse(expiresAt)))
                .isBetween(Duration.ofHours(23), Duration.ofHours(24));

        String participantCode = invite(alice, roomId,
                Map.of("role", "participant", "expiresInSeconds", 3600, "maxUses", 5)).statusCode(201)
                .extract().path("code");

        given().auth().oauth2(alice).when().get("/api/v1/rooms/" + roomId + "/invites")
                .then().statusCode(200)
                .body("$", hasSize(2))
                .body("code", contains(participantCode, guestCode))
                .body("[0].url", equalTo("http://127.0.0.1:8080/join/" + participantCode));

        given().auth().oauth2(alice).when().delete("/api/v1/rooms/" + roomId + "/invites/" + guestCode)
                .then().statusCode(204);
        given().auth().oauth2(alice).when().delete("/api/v1/rooms/" + roomId + "/invites/" + guestCode)
                .then().statusCode(204);
        given().auth().oauth2(alice).when().get("/api/v1/rooms/" + roomId + "/invites")
                .then().statusCode(200)
                .body("find { it.code == '" + guestCode + "' }.usable", equalTo(false))
                .body("find { it.code == '" + guestCode + "' }.revokedAt", notNullValue())
                .body("find { it.code == '" + participantCode + "' }.usable", equalTo(true));
    }

    @Test
    void onlyHostsManageInvites() {
        String roomId = newRoom(Map.of("name", "Hosts only"));
        String code = invite(alice, roomId, Map.of("role", "guest")).statusCode(201).extract().path("code");

        invite(bob, roomId, Map.of("role", "guest")).statusCode(403)
                .body("type", equalTo("https://parley.dev/problems/not-a-host"));
        given().auth().oauth2(bob).when().get("/api/v1/rooms/" + roomId + "/invites")
                .then().statusCode(403);
        given().auth().oauth2(bob).when().delete("/api/v1/rooms/" + roomId + "/invites/" + code)
                .then().statusCode(403);
        given().when().get("/api/v1/rooms/" + roomId + "/invites")
                .then().statusCode(401);
    }

    @Test
    void invalidInvitesAreTypedErrors() {
        String roomId = newRoom(Map.of("name", "Validation"));

        invite(alice, roomId, Map.of()).statusCode(400)
                .body("type", equalTo("https://parley.dev/problems/invalid-request"))
                .body("violations.field", contains("role"));
        invite(alice, roomId, Map.of("role", "admin")).statusCode(400)
                .body("type", equalTo("https://parley.dev/problems/malformed-body"));
        invite(alice, roomId, Map.of("role", "guest", "expiresInSeconds", 10, "maxUses", 0)).statusCode(400)
                .body("violations.field", contains("expiresInSeconds", "maxUses"));
        invite(alice, roomId, Map.of("role", "guest", "expiresInSeconds", 31L * 24 * 3600)).statusCode(400)
                .body("type", equalTo("https://parley.dev/problems/invite-lifetime-too-long"));
        invite(alice, "zzzz-zzzz-zzzz", Map.of("role", "guest")).statusCode(404)
                .body("type", equalTo("https://parley.dev/problems/room-not-found"));
        given().auth().oauth2(alice).when().delete("/api/v1/rooms/" + roomId + "/invites/AAAAAAAAAAAAAAAAAAAAAA")
                .then().statusCode(404)
                .body("type", equalTo("https://parley.dev/problems/invite-not-found"));
        given().auth().oauth2(alice).when().delete("/api/v1/rooms/" + roomId + "/invites/not-a-code")
                .then().statusCode(400)
                .body("type", equalTo("https://parley.dev/problems/malformed-invite-code"));
    }

    @Test
    void ssoOnlyAndEndedRoomsRefuseWhatTheyCannotHonour() {
        String ssoOnly = newRoom(Map.of("name", "Staff only", "ssoOnly", true));
        invite(alice, ssoOnly, Map.of("role", "guest")).statusCode(409)
                .body("type", equalTo("https://parley.dev/problems/sso-only-room"));
        invite(alice, ssoOnly, Map.of("role", "participant")).statusCode(201);

        given().auth().oauth2(alice).when().post("/api/v1/rooms/" + ssoOnly + "/end").then().statusCode(200);
        invite(alice, ssoOnly, Map.of("role", "participant")).statusCode(409)
                .body("type", equalTo("https://parley.dev/problems/room-ended"));
    }
}
