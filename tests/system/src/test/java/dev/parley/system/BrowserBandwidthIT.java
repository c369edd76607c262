package dev.parley.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.testing.DemoUser;
import dev.parley.testing.Keycloak;
import io.restassured.http.ContentType;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 7's bandwidth acceptance: alice's page sends its camera as three simulcast streams (160, 320
 * and 640 pixels wide) through the real relay; bob's page first decodes the 640-pixel stream; then
 * the relay's test-only egress limit constrains what it sends bob to 250 kbit/s (it drops the
 * excess after numbering it for congestion control, so the relay's estimator sees real loss in
 * bob's transport-wide feedback): bob's decoder drops to a smaller stream while frames keep
 * decoding; the limit lifted, it rises back to 640.
 */
@ExtendWith(RunningSystem.Extension.class)
class BrowserBandwidthIT {

    private static final int TOP_WIDTH = 640;
    private static final long CONSTRAINED_BITS_PER_SECOND = 250_000;

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void aConstrainedSubscriberDropsToALowerSimulcastStreamAndRisesAgainWhenTheConstraintIsLifted(RunningSystem system)
            throws Exception {
        ServiceProcess signaling = system.service("signaling");
        ServiceProcess relay = system.service("media-relay");
        Map<String, String> tokens = new LinkedHashMap<>();
        tokens.put("alice", Keycloak.accessToken(DemoUser.ALICE));
        String roomId = given().baseUri(signaling.url()).auth().oauth2(tokens.get("alice")).contentType(ContentType.JSON)
                .body(Map.of("name", "Bandwidth", "lobby", false))
                .when().post("/api/v1/rooms").then().statusCode(201).extract().path("id");
        String bobToken = Keycloak.accessToken(DemoUser.BOB);
        given().baseUri(signaling.url()).auth().oauth2(bobToken).contentType(ContentType.JSON).body(Map.of())
                .when().post("/api/v1/invites/" + BrowserCallIT.invite(signaling, tokens.get("alice"), roomId, "participant")
                        + "/redeem").then().statusCode(200);
        tokens.put("bob", bobToken);

        try (BrowserCallIT.Browsers browsers = BrowserCallIT.Browsers.start()) {
            Map<String, String> ids = browsers.open(signaling, roomId, BrowserCallIT.randomKey(), "drop", true, tokens,
                    "alice", "bob");
            String alice = ids.get("alice");

            long started = System.currentTimeMillis();
            JsonNode top;
            try {
                top = await("bob decodes alice's full-size stream").atMost(Duration.ofSeconds(45))
                        .pollInterval(Duration.ofMillis(500))
                        .until(() -> camera(browsers.stats("bob"), alice), video -> video.path("frameWidth").asInt() == TOP_WIDTH);
            } catch (ConditionTimeoutException e) {
                throw new AssertionError("alice sends " + outbound(browsers.stats("alice")), e);
            }
            System.out.printf("[system] bandwidth: bob decodes alice at %dx%d after %d ms; alice sends %s%n",
                    top.path("frameWidth").asInt(), top.path("frameHeight").asInt(), System.currentTimeMillis() - started,
                    outbound(browsers.stats("alice")));

            try {
                limit(relay, roomId, ids.get("bob"), CONSTRAINED_BITS_PER_SECOND);
            } catch (AssertionError e) {
                throw new AssertionError("bob's descriptions: " + browsers.call(
                        BrowserCallIT.command("descriptions").put("page", "bob"), Duration.ofSeconds(10)), e);
            }
            long constrained = System.currentTimeMillis();
            JsonNode lower = await("bob drops to a smaller stream under " + CONSTRAINED_BITS_PER_SECOND + " bit/s")
                    .atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                    .until(() -> camera(browsers.stats("bob"), alice),
                            video -> video.path("frameWidth").asInt() > 0 && video.path("frameWidth").asInt() < TOP_WIDTH);
            long dropMillis = System.currentTimeMillis() - constrained;
            long decodedAtDrop = lower.path("framesDecoded").asLong();
            JsonNode decoding = await("bob keeps decoding the smaller stream").atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> camera(browsers.stats("bob"), alice),
                            video -> video.path("framesDecoded").asLong() >= decodedAtDrop + 20);
            browsers.record("bandwidth-constrained", decoding);
            System.out.printf("[system] bandwidth: limited to %d bit/s, bob decodes alice at %dx%d after %d ms%n",
                    CONSTRAINED_BITS_PER_SECOND, lower.path("frameWidth").asInt(), lower.path("frameHeight").asInt(),
                    dropMillis);

            limit(relay, roomId, ids.get("bob"), 0);
            long lifted = System.currentTimeMillis();
            JsonNode back = await("bob rises back to the full-size stream").atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> camera(browsers.stats("bob"), alice), video -> video.path("frameWidth").asInt() == TOP_WIDTH);
            browsers.record("bandwidth-lifted", back);
            System.out.printf("[system] bandwidth: limit lifted, bob decodes alice at %dx%d again after %d ms%n",
                    back.path("frameWidth").asInt(), back.path("frameHeight").asInt(), System.currentTimeMillis() - lifted);
            assertThat(back.path("framesDecoded").asLong()).isGreaterThan(decoding.path("framesDecoded").asLong());

            // Rendered small, bob gets the smallest stream; not rendered, nothing; rendered large again, the best.
            layout(browsers, "bob", alice, 160, 120);
            JsonNode small = await("bob shown alice at 160x120 gets the 160-wide stream").atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> camera(browsers.stats("bob"), alice), video -> video.path("frameWidth").asInt() == 160);
            layout(browsers, "bob", alice, 0, 0);
            long pausedAt = System.currentTimeMillis();
            JsonNode paused = await("alice's camera paused for bob").atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> pausedFor(browsers, alice, Duration.ofSeconds(2)), video -> !video.isMissingNode());
            System.out.printf("[system] bandwidth: rendered at 160x120 bob decodes %dx%d; rendered nowhere, nothing arrives "
                    + "(packets stay at %d for 2 s, %d ms after the layout)%n", small.path("frameWidth").asInt(),
                    small.path("frameHeight").asInt(), paused.path("packetsReceived").asLong(),
                    System.currentTimeMillis() - pausedAt);
            layout(browsers, "bob", alice, TOP_WIDTH, 480);
            JsonNode resumed = await("alice's camera resumes at full size").atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> camera(browsers.stats("bob"), alice), video -> video.path("frameWidth").asInt() == TOP_WIDTH
                            && video.path("framesDecoded").asLong() > paused.path("framesDecoded").asLong() + 10);
            browsers.record("bandwidth-layout", resumed);
        }
    }

    /** Bob's page tells the relay it shows {@code publisher}'s camera at this size (media-layout). */
    private static void layout(BrowserCallIT.Browsers browsers, String page, String publisher, int width, int height)
            throws Exception {
        ObjectNode command = BrowserCallIT.command("layout").put("page", page);
        command.putObject("sizes").putObject(publisher).put("width", width).put("height", height);
        JsonNode sent = browsers.call(command, Duration.ofSeconds(10));
        assertThat(sent.path("tracks").size()).as("the layout names alice's camera slot: " + sent).isEqualTo(1);
    }

    /** Bob's stats for alice's camera if no packet arrived for {@code quiet}, else a missing node. */
    private static JsonNode pausedFor(BrowserCallIT.Browsers browsers, String publisher, Duration quiet) throws Exception {
        JsonNode before = camera(browsers.stats("bob"), publisher);
        Thread.sleep(quiet.toMillis()); // the property itself is "nothing arrives for a while"
        JsonNode after = camera(browsers.stats("bob"), publisher);
        return after.path("packetsReceived").asLong() == before.path("packetsReceived").asLong() ? after
                : after.path("none");
    }

    /** Bob's inbound stats for alice's camera (an empty node until there are any). */
    private static JsonNode camera(JsonNode stats, String publisher) {
        for (JsonNode inbound : stats.path("inbound")) {
            if (inbound.path("participantId").asText().equals(publisher) && inbound.path("source").asText().equals("camera")) {
                return inbound;
            }
        }
        return stats.path("none");
    }

    private static String outbound(JsonNode stats) {
        StringBuilder streams = new StringBuilder();
        for (JsonNode outbound : stats.path("outbound")) {
            if (outbound.path("kind").asText().equals("video")) {
                streams.append(outbound.path("rid").asText()).append('=').append(outbound.path("frameWidth").asInt())
                        .append('/').append(outbound.path("framesEncoded").asLong()).append('/')
                        .append(outbound.path("qualityLimitationReason").asText()).append(' ');
            }
        }
        return streams.toString().trim();
    }

    /** The relay's test-only egress limit for one participant (0 lifts it); signaling's service account only. */
    private static void limit(ServiceProcess relay, String roomId, String participantId, long bitsPerSecond) {
        given().baseUri(relay.url()).auth().oauth2(Keycloak.serviceToken()).contentType(ContentType.JSON)
                .body(Map.of("bitsPerSecond", bitsPerSecond))
                .when().put("/api/v1/rooms/" + roomId + "/participants/" + participantId + "/egress-limit")
                .then().log().ifValidationFails().statusCode(204);
    }
}
