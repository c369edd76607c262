package dev.parley.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/** Each packaged service starts with probes, metrics and JSON logs. */
@ExtendWith(RunningSystem.Extension.class)
class StartupIT {

    @Test
    void everyServiceIsLiveReadyAndExposesMetrics(RunningSystem system) {
        assertThat(system.startup).isLessThan(Duration.ofSeconds(60));
        for (String name : RunningSystem.SERVICES) {
            String url = system.service(name).url();
            given().baseUri(url).when().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
            given().baseUri(url).when().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
            given().baseUri(url).when().get("/q/metrics").then().statusCode(200)
                    .body(containsString("# TYPE jvm_memory_used_bytes gauge"));
        }
    }

    @Test
    void everyServiceLogsStructuredJson(RunningSystem system) throws IOException {
        ObjectMapper json = new ObjectMapper();
        for (String name : RunningSystem.SERVICES) {
            List<String> lines = Files.readAllLines(system.service(name).log()).stream()
                    .filter(line -> !line.isBlank()).toList();
            assertThat(lines).as(name + " log").isNotEmpty();
            for (String line : lines) {
                JsonNode entry = json.readTree(line);
                assertThat(entry.path("level").asText()).as(name + ": " + line).isNotEmpty();
                assertThat(entry.path("message").isMissingNode()).as(name + ": " + line).isFalse();
            }
        }
    }
}
