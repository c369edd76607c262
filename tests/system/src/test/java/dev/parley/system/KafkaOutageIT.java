package dev.parley.system;

import dev.parley.testing.DemoUser;
import dev.parley.testing.Keycloak;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * Readiness follows the broker: when Kafka stops, every service reports not-ready within ten
 * seconds (so Kubernetes stops routing to it), and ready again once the broker is back, without
 * restarting any service. Meanwhile a change that needs the broker is refused with a typed error.
 */
@ExtendWith(RunningSystem.Extension.class)
class KafkaOutageIT {

    @Test
    void readinessGoesDownWithTheBrokerAndComesBackWithIt(RunningSystem system) throws Exception {
        await().atMost(Duration.ofSeconds(30)).until(() -> system.allReadinessEquals(200));

        system.broker.stop();
        long stopped = System.nanoTime();
        await("every service not ready").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(250))
                .until(() -> system.allReadinessEquals(503));
        System.out.printf("[system] all four services not ready %d ms after the broker stopped%n",
                Duration.ofNanos(System.nanoTime() - stopped).toMillis());

        // A change that cannot reach the system of record is refused, not half-accepted.
        given().baseUri(system.service("signaling").url())
                .auth().oauth2(Keycloak.accessToken(DemoUser.ALICE)).contentType(ContentType.JSON)
                .body(Map.of("name", "During the outage"))
                .when().post("/api/v1/rooms")
                .then().statusCode(503)
                .contentType("application/problem+json")
                .body("type", equalTo("https://parley.dev/problems/log-unavailable"));

        system.broker.start();
        long restarted = System.nanoTime();
        await("every service ready again").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                .until(() -> system.allReadinessEquals(200));
        System.out.printf("[system] all four services ready %d ms after the broker restarted%n",
                Duration.ofNanos(System.nanoTime() - restarted).toMillis());

        given().baseUri(system.service("signaling").url())
                .auth().oauth2(Keycloak.accessToken(DemoUser.ALICE)).contentType(ContentType.JSON)
                .body(Map.of("name", "After the outage"))
                .when().post("/api/v1/rooms")
                .then().statusCode(201);
    }
}
