package dev.parley.system;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;

import static org.awaitility.Awaitility.await;

/**
 * Readiness follows the broker: when Kafka stops, every service reports not-ready within ten
 * seconds (so Kubernetes stops routing to it), and ready again once the broker is back, without
 * restarting any service.
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

        system.broker.start();
        long restarted = System.nanoTime();
        await("every service ready again").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                .until(() -> system.allReadinessEquals(200));
        System.out.printf("[system] all four services ready %d ms after the broker restarted%n",
                Duration.ofNanos(System.nanoTime() - restarted).toMillis());
    }
}
