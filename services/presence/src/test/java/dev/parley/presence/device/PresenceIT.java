package dev.parley.presence.device;

import dev.parley.testing.DemoUser;
import dev.parley.testing.Keycloak;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.quarkus.redis.datasource.RedisDataSource;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * Device heartbeats against the real Redis and Keycloak. The test profile uses a 1 s heartbeat
 * interval, so a device lapses 2 s after its last heartbeat.
 */
@QuarkusTest
class PresenceIT {

    private static String bob;
    private static String bobId;
    private static String carol;

    @BeforeAll
    static void tokens() {
        bob = Keycloak.accessToken(DemoUser.BOB);
        bobId = Keycloak.subject(bob);
        carol = Keycloak.accessToken(DemoUser.CAROL);
    }

    @Inject
    RedisDataSource redis;

    /**
     * Other modules' tests put BOB in calls on the shared broker; presence follows them. These
     * tests are about devices only, so BOB starts outside any call.
     */
    @BeforeEach
    void outOfCalls() {
        redis.key().del("parley:presence:calls:" + bobId);
    }

    private static String newDevice() {
        return "dev-" + UUID.randomUUID();
    }

    private static void beat(String device, String status) {
        given().auth().oauth2(bob).contentType(ContentType.JSON).body(Map.of("status", status))
                .when().put("/api/v1/presence/me/devices/" + device)
                .then().statusCode(200)
                .body("heartbeatIntervalSeconds", equalTo(1))
                .body("expiresInSeconds", equalTo(2));
    }

    private static void expect(String status, int devices) {
        given().auth().oauth2(carol).when().get("/api/v1/presence/users/" + bobId)
                .then().statusCode(200)
                .body("userId", equalTo(bobId))
                .body("status", equalTo(status))
                .body("devices", equalTo(devices));
    }

    private static void leave(String device) {
        given().auth().oauth2(bob).when().delete("/api/v1/presence/me/devices/" + device)
                .then().statusCode(204);
    }

    @Test
    void aUserIsAsPresentAsTheirStrongestDeviceAndOfflineWhenTheLastLeaves() {
        String laptop = newDevice();
        String phone = newDevice();

        beat(laptop, "away");
        expect("away", 1);
        beat(phone, "online");
        expect("online", 2);
        beat(laptop, "busy");
        expect("busy", 2);

        leave(laptop);
        expect("online", 1);
        leave(phone);
        expect("offline", 0);
    }

    @Test
    void aDeviceThatStopsBeatingLapsesWithinTheBound() {
        String crashed = newDevice();
        // The device's expiry starts while the heartbeat is being served: between these two instants.
        long beforeBeat = System.nanoTime();
        beat(crashed, "online");
        expect("online", 1);

        await().atMost(Duration.ofSeconds(8)).pollInterval(Duration.ofMillis(100))
                .until(() -> given().auth().oauth2(carol).when().get("/api/v1/presence/users/" + bobId)
                        .then().extract().<Integer>path("devices") == 0);
        long lapsedAfterMs = Duration.ofNanos(System.nanoTime() - beforeBeat).toMillis();
        // Not before the bound (interval 1 s x 2 missed heartbeats), and well before the 30 s a
        // production bound would take (slack for a loaded 2-core CI machine).
        assertThat(lapsedAfterMs).isBetween(2_000L, 6_000L);
    }

    @Test
    void anUnknownUserIsOffline() {
        given().auth().oauth2(carol).when().get("/api/v1/presence/users/" + UUID.randomUUID())
                .then().statusCode(200).body("status", equalTo("offline")).body("devices", equalTo(0));
    }

    @Test
    void badInputIsATypedError() {
        given().auth().oauth2(bob).contentType(ContentType.JSON).body(Map.of("status", "offline"))
                .when().put("/api/v1/presence/me/devices/" + newDevice())
                .then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("https://parley.dev/problems/malformed-body"));
        given().auth().oauth2(bob).contentType(ContentType.JSON).body(Map.of())
                .when().put("/api/v1/presence/me/devices/" + newDevice())
                .then().statusCode(400)
                .body("type", equalTo("https://parley.dev/problems/invalid-request"))
                .body("violations[0].field", equalTo("status"));
        given().auth().oauth2(bob).contentType(ContentType.JSON).body(Map.of("status", "online"))
                .when().put("/api/v1/presence/me/devices/short")
                .then().statusCode(400)
                .body("type", equalTo("https://parley.dev/problems/malformed-device-id"));
        given().auth().oauth2(bob).when().get("/api/v1/presence/users/" + "x".repeat(256))
                .then().statusCode(400)
                .body("type", equalTo("https://parley.dev/problems/malformed-user-id"));
        given().contentType(ContentType.JSON).body(Map.of("status", "online"))
                .when().put("/api/v1/presence/me/devices/" + newDevice())
                .then().statusCode(401)
                .body("type", equalTo("https://parley.dev/problems/unauthenticated"));
    }
}
