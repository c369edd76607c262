package dev.parley.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/** `helm lint --strict` passes with the defaults and with each example; broken input fails. */
class ChartLintTest {

    static final java.util.List<String> EXAMPLES = HelmChart.EXAMPLE_NAMES;

    @Test
    void lintStrictPassesWithTheDefaults() {
        assertClean(new Helm(HelmChart.CHART).lint().strict().call());
    }

    /**
     * helm-java's lint takes no values file, so each example is merged into a copy of the chart's
     * values.yaml and the copy is linted (values.schema.json included).
     */
    @ParameterizedTest
    @FieldSource("EXAMPLES")
    void lintStrictPassesWithEachExample(String example) throws IOException {
        Path copy = copyChart("lint-" + example);
        ObjectNode values = (ObjectNode) HelmChart.YAML.readTree(HelmChart.CHART.resolve("values.yaml").toFile());
        merge(values, HelmChart.YAML.readTree(HelmChart.example(example).toFile()));
        HelmChart.YAML.writeValue(copy.resolve("values.yaml").toFile(), values);

        assertClean(new Helm(copy).lint().strict().call());
    }

    @Test
    void lintFailsABrokenTemplate() throws IOException {
        Path copy = copyChart("lint-broken");
        Files.writeString(copy.resolve("templates/signaling/broken.yaml"), "{{ include \"parley.nothing\" . }}\n");

        LintResult result = new Helm(copy).lint().strict().call();

        assertThat(result.isFailed()).as(String.valueOf(result.getMessages())).isTrue();
    }

    @Test
    void theValuesSchemaRefusesUnknownKeysAndWrongTypes() {
        assertThatThrownBy(() -> HelmChart.template(null, Map.of("signaling.replica", "3")))
                .hasMessageContaining("replica");
        assertThatThrownBy(() -> HelmChart.template(null, Map.of("mediaRelay.network", "nodePort")))
                .hasMessageContaining("network");
        assertThatThrownBy(() -> HelmChart.template(null, Map.of("kafka.topics.mode", "auto")))
                .hasMessageContaining("mode");
    }

    @Test
    void aChartMadeSecretNeedsItsValues() {
        assertThatThrownBy(() -> HelmChart.template(null, Map.of("secrets.create", "true")))
                .hasMessageContaining("secrets.guestTokenSecret is required");
    }

    private static void assertClean(LintResult result) {
        assertThat(result.isFailed()).as(String.valueOf(result.getMessages())).isFalse();
        assertThat(result.getMessages())
                .as("lint --strict: no warnings or errors")
                .noneMatch(m -> m.contains("[WARNING]") || m.contains("[ERROR]"));
    }

    private static Path copyChart(String name) throws IOException {
        Path target = Path.of("target", name, "parley").toAbsolutePath();
        if (Files.exists(target)) {
            try (Stream<Path> old = Files.walk(target)) {
                for (Path p : old.sorted((a, b) -> b.compareTo(a)).toList()) {
                    Files.delete(p);
                }
            }
        }
        try (Stream<Path> files = Files.walk(HelmChart.CHART)) {
            for (Path source : files.toList()) {
                Path destination = target.resolve(HelmChart.CHART.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(destination);
                } else {
                    Files.copy(source, destination);
                }
            }
        }
        return target;
    }

    /** Helm's merge of a values file over the defaults: maps merge, anything else replaces. */
    private static void merge(ObjectNode base, JsonNode overlay) {
        Iterator<Map.Entry<String, JsonNode>> fields = overlay.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode existing = base.get(field.getKey());
            if (existing instanceof ObjectNode object && field.getValue().isObject()) {
                merge(object, field.getValue());
            } else {
                base.set(field.getKey(), field.getValue());
            }
        }
    }
}
