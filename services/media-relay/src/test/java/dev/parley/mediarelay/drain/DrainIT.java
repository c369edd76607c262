package dev.parley.mediarelay.drain;

import dev.parley.mediarelay.sdp.SdpFixtures;
import dev.parley.testing.Keycloak;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * The pre-stop hook's contract: {@code GET /q/drain} turns readiness DOWN and takes no new rooms
 * (participants of rooms it carries still join) while its calls go on, and answers once the last
 * participant is gone.
 * A profile of its own: draining is for good in the relay it runs against.
 */
@QuarkusTest
@TestProfile(DrainIT.Draining.class)
class DrainIT {

    /** A relay of this test's own (draining cannot be undone). */
    public static class Draining implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("parley.media-relay.drain-timeout", "60s");
        }
    }

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String OFFER = SdpFixtures.offer(SdpFixtures.AUDIO_VIDEO_SCREEN);
    /** The same offer from another participant: other SSRCs (in a=ssrc and FID groups), other ICE ufrag. */
    private static final String SECOND_PUBLISHER = Pattern.compile("(a=ssrc:|FID |(?<=FID \\d{1,10}) )(\\d+)")
            .matcher(OFFER).replaceAll(m -> m.group(1) + (Long.parseLong(m.group(2)) ^ 0x5A5A5A5AL))
            .replace("a=ice-ufrag:Xk3f", "a=ice-ufrag:B0bb");

    @Test
    void aDrainingRelayKeepsItsCallsTakesNoNewRoomsAndAnswersWhenTheLastIsGone() throws Exception {
        String token = Keycloak.serviceToken();
        String room = base32(4) + "-" + base32(4) + "-" + base32(4);
        String alice = "/api/v1/rooms/" + room + "/participants/p-" + base32(26) + "/session";
        given().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of("sdp", OFFER))
                .when().put(alice).then().statusCode(200);
        given().when().get("/q/health/ready").then().statusCode(200);

        CompletableFuture<Response> drained = CompletableFuture.supplyAsync(() -> given().when().get("/q/drain"));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> given().when().get("/q/health/ready").statusCode() == 503);

        String bob = "/api/v1/rooms/" + room + "/participants/p-" + base32(26) + "/session";
        given().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of("sdp", SECOND_PUBLISHER))
                .when().put(bob).then().statusCode(200);
        String otherRoom = base32(4) + "-" + base32(4) + "-" + base32(4);
        String carol = "/api/v1/rooms/" + otherRoom + "/participants/p-" + base32(26) + "/session";
        given().auth().oauth2(token).contentType(ContentType.JSON)
                .body(Map.of("sdp", OFFER.replace("a=ice-ufrag:Xk3f", "a=ice-ufrag:C4r0")))
                .when().put(carol).then().statusCode(503).body("title", equalTo("Relay draining"));
        given().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of("sdp", OFFER))
                .when().put(alice).then().statusCode(200);
        assertThat(drained).as("the drain waits while alice's and bob's sessions live").isNotDone();

        given().auth().oauth2(token).when().delete(alice).then().statusCode(204);
        given().auth().oauth2(token).when().delete(bob).then().statusCode(204);
        Response answer = drained.get(10, TimeUnit.SECONDS);
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.jsonPath().getInt("sessions")).isZero();
    }

    private static String base32(int letters) {
        String alphabet = "abcdefghijklmnopqrstuvwxyz234567";
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < letters; i++) {
            text.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return text.toString();
    }
}
