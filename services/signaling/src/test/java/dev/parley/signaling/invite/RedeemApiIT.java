package dev.parley.signaling.invite;

import dev.parley.testing.DemoUser;
import dev.parley.testing.Keycloak;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

/** Redeeming invite links as a guest or as a signed-in user. */
@QuarkusTest
class RedeemApiIT {

    private static String alice;

    @BeforeAll
    static void tokens() {
        alice = Keycloak.accessToken(DemoUser.ALICE);
    }

    private static String room(Map<String, Object> settings) {
        return given().auth().oauth2(alice).contentType(ContentType.JSON).body(settings)
                .when().post("/api/v1/rooms").then().statusCode(201).extract().path("id");
    }

    private static String invite(String roomId, Map<String, Object> body) {
        return given().auth().oauth2(alice).contentType(ContentType.JSON).body(body)
                .when().post("/api/v1/rooms/" + roomId + "/invites").then().statusCode(201).extract().path("code");
    }

    private static ValidatableResponse redeem(RequestSpecification as, String code, Object body) {
        return as.contentType(ContentType.JSON).body(body).when().post("/api/v1/invites/" + code + "/redeem").then();
    }

    @Test
    void aGuestGetsATokenForThatOneRoom() {
        String roomId = room(Map.of("name", "Guests welcome", "lobby", true));
        String code = invite(roomId, Map.of("role", "guest"));

        String token = redeem(given(), code, Map.of("displayName", "  Grace  ")).statusCode(200)
                .body("roomId", equalTo(roomId))
                .body("role", equalTo("guest"))
                .body("displayName", equalTo("Grace"))
                .body("userId", startsWith("guest:"))
                .body("verified", equalTo(false))
                .body("lobby", equalTo(true))
                .body("guestTokenExpiresAt", notNullValue())
                .extract().path("guestToken");

        given().auth().oauth2(token).when().get("/api/v1/rooms/" + roomId)
                .then().statusCode(200).body("id", equalTo(roomId));
        String otherRoom = room(Map.of("name", "Elsewhere"));
        given().auth().oauth2(token).when().get("/api/v1/rooms/" + otherRoom)
                .then().statusCode(403).body("type", equalTo("https://parley.dev/problems/not-your-room"));
        given().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of("name", "Mine"))
                .when().post("/api/v1/rooms").then().statusCode(403);
        given().auth().oauth2(token).when().get("/api/v1/rooms/" + roomId + "/invites")
                .then().statusCode(403).body("type", equalTo("https://parley.dev/problems/not-a-host"));
        redeem(given().auth().oauth2(token), code, Map.of("displayName", "Again")).statusCode(403);

        given().auth().oauth2(alice).when().get("/api/v1/rooms/" + roomId + "/invites")
                .then().body("[0].uses", equalTo(1));
        given().when().get("/q/metrics").then()
                .body(containsString("parley_invite_redemptions_total{role=\"guest\"}"));
    }

    @Test
    void aTamperedGuestTokenIsUnauthenticated() {
        String roomId = room(Map.of("name", "Tamper"));
        String token = redeem(given(), invite(roomId, Map.of("role", "guest")), Map.of("displayName", "Mallory"))
                .statusCode(200).extract().path("guestToken");
        String[] parts = token.split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1])).replace("Mallory", "Alice!!");
        String forged = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(payload.getBytes())
                + "." + parts[2];

        given().auth().oauth2(forged).when().get("/api/v1/rooms/" + roomId)
                .then().statusCode(401).body("type", equalTo("https://parley.dev/problems/unauthenticated"));
    }

    @Test
    void aSignedInUserKeepsTheirIdentity() {
        String roomId = room(Map.of("name", "Members", "lobby", true));
        String code = invite(roomId, Map.of("role", "participant"));

        redeem(given().auth().oauth2(Keycloak.accessToken(DemoUser.BOB)), code, Map.of()).statusCode(200)
                .body("role", equalTo("participant"))
                .body("verified", equalTo(true))
                .body("lobby", equalTo(false))
                .body("userId", equalTo(Keycloak.subject(Keycloak.accessToken(DemoUser.BOB))))
                .body("guestToken", nullValue());
        redeem(given(), code, Map.of("displayName", "Anonymous")).statusCode(401)
                .body("type", equalTo("https://parley.dev/problems/sign-in-required"));
    }

    @Test
    void usedUpRevokedLockedAndEndedInvitesAdmitNobody() {
        String roomId = room(Map.of("name", "Closing"));
        String once = invite(roomId, Map.of("role", "guest", "maxUses", 1));
        redeem(given(), once, Map.of("displayName", "First")).statusCode(200);
        redeem(given(), once, Map.of("displayName", "Second")).statusCode(410)
                .body("type", equalTo("https://parley.dev/problems/invite-used-up"));

        String revoked = invite(roomId, Map.of("role", "guest"));
        given().auth().oauth2(alice).when().delete("/api/v1/rooms/" + roomId + "/invites/" + revoked)
                .then().statusCode(204);
        redeem(given(), revoked, Map.of("displayName", "Late")).statusCode(410)
                .body("type", equalTo("https://parley.dev/problems/invite-revoked"));

        String open = invite(roomId, Map.of("role", "guest"));
        given().auth().oauth2(alice).contentType(ContentType.JSON).body(Map.of("locked", true))
                .when().patch("/api/v1/rooms/" + roomId).then().statusCode(200);
        redeem(given(), open, Map.of("displayName", "Knock")).statusCode(403)
                .body("type", equalTo("https://parley.dev/problems/room-locked"));
        given().auth().oauth2(alice).when().post("/api/v1/rooms/" + roomId + "/end").then().statusCode(200);
        redeem(given(), open, Map.of("displayName", "Too late")).statusCode(410)
                .body("type", equalTo("https://parley.dev/problems/room-ended"));
    }

    @Test
    void concurrentRedemptionsNeverExceedMaxUses() throws Exception {
        String roomId = room(Map.of("name", "Rush"));
        String code = invite(roomId, Map.of("role", "guest", "maxUses", 5));
        ExecutorService pool = Executors.newFixedThreadPool(10);
        try {
            List<Future<Integer>> attempts = IntStream.range(0, 20)
                    .mapToObj(i -> pool.submit(() -> redeem(given(), code, Map.of("displayName", "Guest " + i))
                            .extract().statusCode()))
                    .toList();
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> attempt : attempts) {
                statuses.add(attempt.get(30, TimeUnit.SECONDS));
            }
            assertThat(statuses).filteredOn(status -> status == 200).hasSize(5);
            assertThat(statuses).filteredOn(status -> status != 200).containsOnly(410);
        } finally {
            pool.shutdownNow();
        }
        given().auth().oauth2(alice).when().get("/api/v1/rooms/" + roomId + "/invites")
                .then().body("[0].uses", equalTo(5)).body("[0].usable", equalTo(false));
    }

    @Test
    void badRedemptionsAreTypedErrors() {
        String roomId = room(Map.of("name", "Bad input"));
        String code = invite(roomId, Map.of("role", "guest"));

        redeem(given(), code, Map.of()).statusCode(400)
                .body("type", equalTo("https://parley.dev/problems/invalid-request"))
                .body("violations[0].field", equalTo("displayName"));
        redeem(given(), code, Map.of("displayName", "   ")).statusCode(400)
                .body("violations[0].field", equalTo("displayName"));
        redeem(given(), code, Map.of("displayName", "x".repeat(65))).statusCode(400);
        redeem(given(), code, Map.of("displayName", "bell\u0007")).statusCode(400);
        redeem(given(), "AAAAAAAAAAAAAAAAAAAAAA", Map.of("displayName", "Nobody")).statusCode(404)
                .body("type", equalTo("https://parley.dev/problems/invite-not-found"));
        redeem(given(), "short", Map.of("displayName", "Nobody")).statusCode(400)
                .body("type", equalTo("https://parley.dev/problems/malformed-invite-code"));
        given().auth().oauth2(alice).when().get("/api/v1/rooms/" + roomId + "/invites")
                .then().body("[0].uses", equalTo(0));
    }
}
