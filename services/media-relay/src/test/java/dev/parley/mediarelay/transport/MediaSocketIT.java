package dev.parley.mediarelay.transport;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

/** The relay owns its media port from start-up and reports it in readiness. */
@QuarkusTest
class MediaSocketIT {

    @Inject
    MediaSocket socket;

    @Test
    void theMediaPortIsBoundAndExclusive() throws Exception {
        InetSocketAddress bound = socket.localAddress();
        assertThat(bound).isNotNull();
        assertThat(bound.getPort()).isPositive();

        try (DatagramChannel intruder = DatagramChannel.open()) {
            assertThatThrownBy(() -> intruder.bind(new InetSocketAddress(bound.getAddress(), bound.getPort())))
                    .isInstanceOf(BindException.class);
        }
    }

    @Test
    void readinessCoversTheMediaPortKafkaAndRedis() {
        given().when().get("/q/health/ready")
                .then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItems("Media UDP port", "Kafka broker",
                        "Redis connection health check"));
    }
}
