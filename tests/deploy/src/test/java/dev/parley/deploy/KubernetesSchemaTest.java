package dev.parley.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every document the chart renders, for every example and for the options the examples leave
 * off, validates against the Kubernetes schemas (and the Prometheus Operator's and Strimzi's for
 * their resources) — what the API server would check of types, required fields and names.
 */
class KubernetesSchemaTest {

    static final Path OUT = Path.of("target/rendered");

    @Test
    void everyRenderedDocumentValidates() throws IOException {
        Files.createDirectories(OUT);
        Map<String, String> renders = new LinkedHashMap<>();
        renders.put("defaults", HelmChart.template(null, Map.of()));
        for (String example : HelmChart.EXAMPLE_NAMES) {
            renders.put(example, HelmChart.template(example));
        }
        // The options no example uses: a chart-made Secret, hostNetwork relays with bundled stores,
        // everything optional switched on at once, and everything optional off.
        renders.put("all-options", HelmChart.template(HelmChart.example("production"), Map.of(
                "secrets.create", "true",
                "secrets.guestTokenSecret", "a-test-only-guest-token-secret-of-48-characters!",
                "secrets.authoritySeed", "dGVzdC1vbmx5IHNlZWQsIG5vdCBmb3IgcHJvZHVjdGk=",
                "kafka.bundled.enabled", "true",
                "redis.bundled.enabled", "true",
                "kafka.topics.mode", "job",
                "mediaRelay.network", "hostNetwork")));
        renders.put("all-off", HelmChart.template(HelmChart.example("minimal"), Map.of(
                "networkPolicy.enabled", "false",
                "ingress.enabled", "false",
                "publicUrl", "https://parley.example.org",
                "kafka.topics.mode", "none",
                "metrics.podAnnotations", "false",
                "kafka.bundled.persistence.enabled", "false",
                "redis.bundled.persistence.enabled", "false")));

        List<Path> files = new ArrayList<>();
        int documents = 0;
        for (Map.Entry<String, String> render : renders.entrySet()) {
            Path file = OUT.resolve(render.getKey() + ".yaml");
            Files.writeString(file, render.getValue());
            files.add(file);
            documents += HelmChart.parse(render.getValue()).size();
        }

        NodeValidator.Result result = NodeValidator.validate(files);

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).as(result.output()).contains("validated: " + documents + " valid, 0 invalid");
    }

    @Test
    void theValidatorRefusesWhatTheApiServerWould() throws IOException {
        // A port given as a string, a selector that misses its pods, a kind without a schema:
        // proof that the check above is not vacuous.
        Files.createDirectories(OUT);
        Path broken = OUT.resolve("broken.yaml");
        Files.writeString(broken, """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: broken}
                spec:
                  selector: {matchLabels: {app: a}}
                  template:
                    metadata: {labels: {app: b}}
                    spec:
                      containers: [{name: c, image: i, ports: [{containerPort: "8080"}]}]
                ---
                apiVersion: example.com/v1
                kind: Unknown
                metadata: {name: unknown}
                """);

        NodeValidator.Result result = NodeValidator.validate(List.of(broken));

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.output())
                .contains("containerPort must be integer")
                .contains("does not match the pod template")
                .contains("no schema for example.com/v1 Unknown")
                .contains("validated: 0 valid, 2 invalid");
    }
}
