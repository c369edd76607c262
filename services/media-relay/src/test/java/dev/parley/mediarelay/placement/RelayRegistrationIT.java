package dev.parley.mediarelay.placement;

import dev.parley.mediarelay.sdp.SdpFixtures;
import dev.parley.mediarelay.transport.MediaSocket;
import dev.parley.testing.Keycloak;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * The relay's registration for placement, as signaling reads it from Redis: the hash
 * {@code parley:relay:<id>} with every field of the schema, its TTL, the id in
 * {@code parley:relays}, and the load and draining state following the relay's. A profile of its
 * own: a short heartbeat, and draining is for good.
 */
@QuarkusTest
@TestProfile(RelayRegistrationIT.Heartbeat.class)
class RelayRegistrationIT {

    /** A relay of this test's own, beating every 200 ms. */
    public static class Heartbeat implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("parley.media-relay.heartbeat-interval", "200ms", "parley.media-relay.region", "test-region");
        }
    }

    private static final Duration SOON = Duration.ofSeconds(5);
    private static final SecureRandom RANDOM = new SecureRandom();

    @Inject
    RelayHeartbeat heartbeat;
    @Inject
    RedisDataSource redis;
    @Inject
    MediaSocket socket;

    @Test
    void theRelayPublishesItsLoadAndDrainingForPlacement() throws IOException {
        String key = "parley:relay:" + heartbeat.id().value();
        await().atMost(SOON).until(() -> redis.key().exists(key));
        Map<String, String> entry = redis.hash(String.class).hgetall(key);
        assertThat(entry).containsOnlyKeys("id", "controlUrl", "region", "sessions", "maxSessions", "packetsPerSecond",
                "maxPacketsPerSecond", "cpu", "stress", "draining", "updatedAt", "ttlMillis");
        assertThat(entry).containsEntry("id", heartbeat.id().value()).containsEntry("region", "test-region")
                .containsEntry("maxSessions", "1000").containsEntry("maxPacketsPerSecond", "200000")
                .containsEntry("draining", "false").containsEntry("ttlMillis", "1000");
        assertThat(entry.get("id")).matches("relay-[a-z2-7]{10}");
        assertThat(Long.parseLong(entry.get("updatedAt"))).isCloseTo(System.currentTimeMillis(),
                within(5_000L));
        assertThat(Double.parseDouble(entry.get("cpu"))).isBetween(0.0, 1.0);
        assertThat(Double.parseDouble(entry.get("stress"))).isBetween(0.0, 1.0);
        assertThat(Long.parseLong(entry.get("packetsPerSecond"))).isNotNegative();
        assertThat(redis.set(String.class).sismember(RelayRegistry.RELAYS, heartbeat.id().value())).isTrue();
        assertThat(redis.key().pttl(key)).isPositive().isLessThanOrEqualTo(1_000);
        given().when().get(entry.get("controlUrl") + "/q/health/ready").then().statusCode(200);

        String token = Keycloak.serviceToken();
        String session = "/api/v1/rooms/" + base32(4) + "-" + base32(4) + "-" + base32(4) + "/participants/p-"
                + base32(26) + "/session";
        given().auth().oauth2(token).contentType(ContentType.JSON)
                .body(Map.of("sdp", SdpFixtures.offer(SdpFixtures.AUDIO_VIDEO_SCREEN)))
                .when().put(session).then().statusCode(200);
        await().atMost(SOON).until(() -> "1".equals(redis.hash(String.class).hget(key, "sessions")));

        try (DatagramSocket client = new DatagramSocket()) {
            byte[] garbage = {(byte) 0xFF, 1, 2, 3};
            DatagramPacket packet = new DatagramPacket(garbage, garbage.length, InetAddress.getLoopbackAddress(),
                    socket.localAddress().getPort());
            await().atMost(SOON).until(() -> {
                for (int i = 0; i < 50; i++) {
                    client.send(packet);
                }
                return Long.parseLong(redis.hash(String.class).hget(key, "packetsPerSecond")) > 0;
            });
        }

        given().auth().oauth2(token).when().delete(session).then().statusCode(204);
        await().atMost(SOON).until(() -> "0".equals(redis.hash(String.class).hget(key, "sessions")));
        given().when().get("/q/drain").then().statusCode(200);
        await().atMost(SOON).until(() -> "true".equals(redis.hash(String.class).hget(key, "draining")));
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
