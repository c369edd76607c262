package dev.parley.client.mls;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The MLS working group's test vectors that ts-mls 1.6.4 exposes functions for, run under Node.js
 * by src/test/node/vectors.mjs: the same files {@link MlsTestVectorsTest} runs against bcmls.
 */
class TsMlsTestVectorsTest {

    @Test
    void tsMlsPassesTheVectorsItCanTake() throws Exception {
        JsonNode results;
        try (NodeScript script = NodeScript.start("vectors.mjs")) {
            Path directory = Path.of("src", "test", "resources", "mls-test-vectors").toAbsolutePath();
            results = script.call(Map.of("directory", directory.toString())).get("results");
        }

        assertThat(results.fieldNames()).toIterable()
            .containsExactly("crypto-basics", "tree-math", "key-schedule", "key-schedule.json");
        results.fields().forEachRemaining(file -> assertThat(file.getValue().get("failed"))
            .as(file.getKey()).isEmpty());
        assertThat(results.at("/crypto-basics/cases").asInt()).isEqualTo(3);
        assertThat(results.at("/tree-math/cases").asInt()).isEqualTo(5);
        assertThat(results.at("/key-schedule/cases").asInt()).isEqualTo(5);
        assertThat(results.at("/key-schedule.json/cases").asInt()).isEqualTo(2);
    }
}
