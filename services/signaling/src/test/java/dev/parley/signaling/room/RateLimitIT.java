package dev.parley.signaling.room;

import dev.parley.testing.DemoUser;
import dev.parley.testing.Keycloak;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

/** Room creation is rate-limited per user, with a typed 429 that says when to retry. */
@QuarkusTest
@TestProfile(RateLimitIT.ThreePerMinute.class)
class RateLimitIT {

    public static class ThreePerMinute implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("parley.signaling.rooms.create-per-minute", "3");
        }
    }

    @Inject
    RedisDataSource redis;

    private String dave;

    @BeforeEach
    void freshQuota() {
        dave = Keycloak.accessToken(DemoUser.DAVE);
        for (String key : redis.key().keys("parley:ratelimit:room-create:" + Keycloak.subject(dave) + ":*")) {
            redis.key().del(key);
        }
        // Keep the four requests inside one fixed one-minute window.
        await().atMost(Duration.ofSeconds(15)).until(() -> Instant.now().toEpochMilli() % 60_000 < 45_000);
    }

    @Test
    void theFourthRoomInAMinuteIsRefusedAndOtherUsersAreUnaffected() {
        for (int i = 0; i < 3; i++) {
            create(dave).then().statusCode(201);
        }
        create(dave).then().statusCode(429)
                .contentType("application/problem+json")
                .header("Retry-After", notNullValue())
                .body("type", equalTo("https://parley.dev/problems/rate-limited"));

        create(Keycloak.accessToken(DemoUser.BOB)).then().statusCode(201);
        given().when().get("/q/metrics").then()
                .body(containsString("parley_rate_limited_total{action=\"room-create\"}"));
    }

    private static io.restassured.response.Response create(String token) {
        return given().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of("name", "Limited"))
                .when().post("/api/v1/rooms");
    }
}
