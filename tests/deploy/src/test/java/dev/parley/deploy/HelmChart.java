package dev.parley.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The chart in helm/parley, rendered through helm-java (Helm 3 as a native library, no cluster)
 * with the example values files in helm/examples.
 */
final class HelmChart {

    static final Path ROOT = Path.of(System.getProperty("parley.root", "../..")).toAbsolutePath().normalize();
    static final Path CHART = ROOT.resolve("helm/parley");
    static final Path EXAMPLES = ROOT.resolve("helm/examples");
    static final Path K8S = ROOT.resolve("k8s");

    /** The example values files; each is also written to k8s/&lt;name&gt;/ as plain manifests. */
    static final List<String> EXAMPLE_NAMES = List.of("minimal", "production", "external-kafka-redis");

    static final String RELEASE = "parley";
    static final String NAMESPACE = "parley";
    /** The oldest Kubernetes the chart supports (Chart.yaml kubeVersion: the sleep pre-stop action). */
    static final String KUBE_VERSION = "1.30.0";

    static final YAMLMapper YAML = new YAMLMapper();

    private static final Map<String, String> CACHE = new ConcurrentHashMap<>();

    private HelmChart() {
    }

    static Path example(String name) {
        return EXAMPLES.resolve(name + ".yaml");
    }

    /** `helm template` of one example, memoised: each example renders once per test run. */
    static String template(String example) {
        return CACHE.computeIfAbsent(example, name -> template(example(name), Map.of()));
    }

    /** `helm template` with a values file (or none: the chart's defaults) and --set overrides. */
    static String template(Path valuesFile, Map<String, Object> sets) {
        TemplateCommand command = new Helm(CHART).template()
                .withName(RELEASE)
                .withNamespace(NAMESPACE)
                .withKubeVersion(KUBE_VERSION);
        if (valuesFile != null) {
            command = command.withValuesFile(valuesFile);
        }
        for (Map.Entry<String, Object> set : sets.entrySet()) {
            command = command.set(set.getKey(), set.getValue());
        }
        return command.call();
    }

    static Rendered rendered(String example) {
        return new Rendered(example, parse(template(example)));
    }

    static Rendered rendered(Path valuesFile, Map<String, Object> sets) {
        return new Rendered(String.valueOf(valuesFile), parse(template(valuesFile, sets)));
    }

    /** The documents of a multi-document YAML stream, empty ones left out. */
    static List<ObjectNode> parse(String manifests) {
        try (var parser = YAML.getFactory().createParser(manifests)) {
            return YAML.readValues(parser, JsonNode.class).readAll().stream()
                    .filter(node -> node != null && node.isObject())
                    .map(ObjectNode.class::cast)
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("the rendered chart is not YAML", e);
        }
    }
}
