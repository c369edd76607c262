package dev.parley.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The Grafana dashboard and the Prometheus Adapter rules name only metrics the services
 * register, and the adapter serves every custom metric the HPAs ask for.
 */
class ObservabilityTest {

    static final Pattern PARLEY_METRIC = Pattern.compile("parley_[a-z_]+");
    static final Path DASHBOARD = HelmChart.ROOT.resolve("docs/grafana/parley-dashboard.json");
    static final Path ADAPTER = HelmChart.ROOT.resolve("helm/prometheus-adapter-values.yaml");

    @Test
    void theDashboardUsesOnlyMetricsTheServicesRegister() throws IOException {
        JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
        assertThat(dashboard.path("uid").asText()).isEqualTo("parley-overview");
        Set<String> used = new TreeSet<>();
        for (JsonNode panel : dashboard.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                Matcher m = PARLEY_METRIC.matcher(target.path("expr").asText());
                while (m.find()) {
                    used.add(m.group());
                }
            }
        }
        assertThat(used).contains("parley_call_connections", "parley_kd_group_streams", "parley_presence_changes_total");
        Set<String> registered = registeredMeters();
        for (String metric : used) {
            assertThat(registered).as("%s in the dashboard", metric).contains(meterName(metric));
        }
    }

    @Test
    void theAdapterServesEveryCustomMetricTheHpasUse() throws IOException {
        JsonNode rules = HelmChart.YAML.readTree(ADAPTER.toFile()).path("rules").path("custom");
        Set<String> served = new TreeSet<>();
        rules.forEach(rule -> served.add(rule.path("name").path("as").asText()));

        Set<String> asked = new TreeSet<>();
        for (JsonNode hpa : HelmChart.rendered("production").all("HorizontalPodAutoscaler")) {
            hpa.path("spec").path("metrics").forEach(m -> {
                if (m.path("type").asText().equals("Pods")) {
                    asked.add(m.path("pods").path("metric").path("name").asText());
                }
            });
        }
        assertThat(asked).hasSize(3);
        assertThat(served).containsAll(asked);

        Set<String> registered = registeredMeters();
        rules.forEach(rule -> {
            Matcher m = PARLEY_METRIC.matcher(rule.path("seriesQuery").asText());
            while (m.find()) {
                assertThat(registered).as("%s in the adapter rules", m.group()).contains(meterName(m.group()));
            }
        });
    }

    /** parley_call_events_total → parley.call.events (Micrometer's name before Prometheus' suffixes). */
    private static String meterName(String prometheusName) {
        return prometheusName.replaceAll("_(total|count|sum|bucket|max)$", "").replaceAll("_seconds$", "").replace('_', '.');
    }

    /** Every "parley.…" meter name in the services' and runtime library's main sources. */
    private static Set<String> registeredMeters() throws IOException {
        Set<String> names = new TreeSet<>();
        Pattern literal = Pattern.compile("\"(parley\\.[a-z.]+)\"");
        for (String folder : Set.of("services", "libs/runtime")) {
            try (Stream<Path> files = Files.walk(HelmChart.ROOT.resolve(folder))) {
                for (Path file : files.filter(p -> p.toString().endsWith(".java") && p.toString().contains("/src/main/")).toList()) {
                    Matcher m = literal.matcher(Files.readString(file));
                    while (m.find()) {
                        names.add(m.group(1));
                    }
                }
            }
        }
        return names;
    }
}
