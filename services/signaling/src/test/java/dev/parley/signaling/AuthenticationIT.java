package dev.parley.signaling;

import dev.parley.testing.DemoUser;
import dev.parley.testing.Keycloak;
import dev.parley.testing.LocalStack;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * Signaling accepts only valid Keycloak tokens, checked against the real Keycloak's keys.
 */
@QuarkusTest
class AuthenticationIT {

    private static final String ROOMS = "/api/v1/rooms";
    private static final Map<String, Object> ROOM = Map.of("name", "Auth check");

    @Test
    void aValidTokenOfAUserWithTheCreatorRoleIsAccepted() {
        given().auth().oauth2(Keycloak.accessToken(DemoUser.ALICE)).contentType(ContentType.JSON).body(ROOM)
                .when().post(ROOMS)
                .then().statusCode(201);
    }

    @Test
    void aValidTokenReadsAProtectedResource() {
        String alice = Keycloak.accessToken(DemoUser.ALICE);
        String roomId = given().auth().oauth2(alice).contentType(ContentType.JSON).body(ROOM)
                .when().post(ROOMS).then().statusCode(201).extract().path("id");

        given().auth().oauth2(Keycloak.accessToken(DemoUser.CAROL))
                .when().get(ROOMS + "/" + roomId)
                .then().statusCode(200)
                .body("id", equalTo(roomId));
    }

    @Test
    void noTokenIsUnauthenticated() {
        given().contentType(ContentType.JSON).body(ROOM)
                .when().post(ROOMS)
                .then().statusCode(401)
                .header("WWW-Authenticate", "Bearer")
                .contentType("application/problem+json")
                .body("type", equalTo("https://parley.dev/problems/unauthenticated"));
    }

    @Test
    void aTamperedTokenIsUnauthenticated() {
        String token = Keycloak.accessToken(DemoUser.CAROL);
        String[] parts = token.split("\\.");
        // Carol promotes herself: same header and signature, payload with the creator role added.
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]))
                .replace("\"roles\":[", "\"roles\":[\"room-creator\",");
        String forged = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(payload.getBytes())
                + "." + parts[2];

        given().auth().oauth2(forged).contentType(ContentType.JSON).body(ROOM)
                .when().post(ROOMS)
                .then().statusCode(401)
                .body("type", equalTo("https://parley.dev/problems/unauthenticated"));
    }

    @Test
    void aTokenWithAForgedSignatureIsUnauthenticated() {
        String token = Keycloak.accessToken(DemoUser.ALICE);
        String forged = token.substring(0, token.lastIndexOf('.') + 1)
                + Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[256]);

        given().auth().oauth2(forged).when().get(ROOMS + "/abcd-efgh-ijkl")
                .then().statusCode(401);
    }

    @Test
    void anExpiredTokenIsUnauthenticated() {
        String token = Keycloak.shortLivedAccessToken(DemoUser.ALICE);
        Instant expiry = Keycloak.expiry(token);
        // It is a genuine token for this service, so expiry is the only thing wrong with it later.
        assertThat(Keycloak.claims(token).path("aud").toString()).contains(Keycloak.SERVICES_CLIENT);
        assertThat(Keycloak.claims(token).path("iss").asText()).isEqualTo(LocalStack.issuer());

        // The token's lifetime is two seconds: wait for its exp claim to pass, then use it.
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                .until(() -> Instant.now().isAfter(expiry.plusSeconds(1)));

        given().auth().oauth2(token).contentType(ContentType.JSON).body(ROOM)
                .when().post(ROOMS)
                .then().statusCode(401)
                .body("type", equalTo("https://parley.dev/problems/unauthenticated"));
    }

    @Test
    void aValidTokenWithoutTheCreatorRoleIsForbidden() {
        given().auth().oauth2(Keycloak.accessToken(DemoUser.CAROL)).contentType(ContentType.JSON).body(ROOM)
                .when().post(ROOMS)
                .then().statusCode(403)
                .contentType("application/problem+json")
                .body("type", equalTo("https://parley.dev/problems/forbidden"));
    }

    @Test
    void anUnsignedTokenIsUnauthenticated() {
        given().auth().oauth2("eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4IiwiYXVkIjoib3RoZXIifQ.")
                .when().get(ROOMS + "/abcd-efgh-ijkl")
                .then().statusCode(401);
    }
}
