package dev.parley.system;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.testing.DemoUser;
import dev.parley.testing.Keycloak;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Cascading with browsers, the acceptance test of issue 7's "Cascading": two more relay processes,
 * one labelled region {@code eu-…}, one {@code us-…}; alice's page states the first region in its
 * {@code media-offer}, bob's the second, and signaling places each on the relay of its region. The
 * two relays link the room and forward each other's participants' media: each page decodes the
 * other's camera ({@code framesDecoded} rising) and hears its microphone, every frame
 * encrypted by the pages, and each relay carries exactly its own page's session.
 */
@ExtendWith(RunningSystem.Extension.class)
class CascadeBrowserIT {

    private static final Pattern SESSIONS = Pattern.compile("(?m)^parley_media_sessions(?:\\{[^}]*})? (\\S+)$");
    private static final Pattern LINKS = Pattern.compile("(?m)^parley_media_cascade_links(?:\\{[^}]*})? (\\S+)$");
    private static final Pattern LINK_PACKETS_IN =
            Pattern.compile("(?m)^parley_media_cascade_link_packets_total\\{direction=\"in\"[^}]*} (\\S+)$");

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void pagesOnRelaysOfTwoRegionsDecodeEachOther(RunningSystem system) throws Exception {
        String suffix = Long.toString(System.nanoTime() & 0xFFFF_FFFFL, 36);
        String eu = "eu-" + suffix;
        String us = "us-" + suffix;
        try (ServiceProcess euRelay = relay(system, "cascade-" + eu, eu);
             ServiceProcess usRelay = relay(system, "cascade-" + us, us)) {
            ServiceProcess signaling = system.service("signaling");
            Map<String, String> tokens = new LinkedHashMap<>();
            tokens.put("alice", Keycloak.accessToken(DemoUser.ALICE));
            tokens.put("bob", Keycloak.accessToken(DemoUser.BOB));
            String roomId = given().baseUri(signaling.url()).auth().oauth2(tokens.get("alice")).contentType(ContentType.JSON)
                    .body(Map.of("name", "Cascaded call", "lobby", false))
                    .when().post("/api/v1/rooms").then().statusCode(201).extract().path("id");
            given().baseUri(signaling.url()).auth().oauth2(tokens.get("bob")).contentType(ContentType.JSON).body(Map.of())
                    .when().post("/api/v1/invites/" + BrowserCallIT.invite(signaling, tokens.get("alice"), roomId,
                            "participant") + "/redeem")
                    .then().statusCode(200);

            try (BrowserCallIT.Browsers browsers = BrowserCallIT.Browsers.start()) {
                Map<String, String> ids = browsers.open(signaling, roomId, BrowserCallIT.randomKey(), "drop", tokens,
                        Map.of("alice", eu, "bob", us), "alice", "bob");
                JsonNode flowing = browsers.flowing("cascade", BrowserCallIT.expectEachOther(ids));
                BrowserCallIT.assertFlowing(flowing, ids);

                assertThat(metric(euRelay, SESSIONS)).as("sessions on the eu relay: alice's").isEqualTo(1);
                assertThat(metric(usRelay, SESSIONS)).as("sessions on the us relay: bob's").isEqualTo(1);
                assertThat(metric(euRelay, LINKS)).as("the eu relay's links").isEqualTo(1);
                assertThat(metric(usRelay, LINKS)).as("the us relay's links").isEqualTo(1);
                // Counted as packets arrive: awaited, since decoding may be seen after the first few dozen.
                await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
                    assertThat(metric(euRelay, LINK_PACKETS_IN)).as("bob's media reached the eu relay over the link")
                            .isGreaterThan(100);
                    assertThat(metric(usRelay, LINK_PACKETS_IN)).as("alice's media reached the us relay over the link")
                            .isGreaterThan(100);
                });
            }
        }
    }

    /** A relay process in {@code region}, awaited until signaling can see it (its heartbeat in Redis). */
    private static ServiceProcess relay(RunningSystem system, String id, String region) throws Exception {
        ServiceProcess relay = system.startReplica("media-relay", Map.of(
                "PARLEY_MEDIA_RELAY_RELAY_ID", id, "PARLEY_MEDIA_RELAY_REGION", region));
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).until(() -> system.redis.eval(
                "return redis.call('HGET', ARGV[1], 'region') == ARGV[2] and 1 or 0", "parley:relay:" + id, region)
                .equals(":1"));
        return relay;
    }

    private static double metric(ServiceProcess relay, Pattern pattern) {
        String metrics = given().baseUri(relay.url()).when().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher matcher = pattern.matcher(metrics);
        return matcher.find() ? Double.parseDouble(matcher.group(1)) : 0;
    }
}
