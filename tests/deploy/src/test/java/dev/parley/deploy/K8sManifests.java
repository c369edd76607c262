package dev.parley.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Writes k8s/: plain manifests for people without Helm, one folder per example values file
 * (k8s/minimal, k8s/production, k8s/external-kafka-redis), one file per chart template, exactly
 * as `helm template parley helm/parley -n parley -f helm/examples/&lt;name&gt;.yaml` renders them.
 * K8sManifestsTest fails when k8s/ differs from a fresh render. Run:
 * <pre>mvn -q -B install -pl tests/deploy -Pk8s-manifests</pre>
 */
public final class K8sManifests {

    private static final Pattern SOURCE = Pattern.compile("^# Source: parley/templates/(\\S+)$", Pattern.MULTILINE);

    private K8sManifests() {
    }

    public static void main(String[] args) throws IOException {
        Path k8s = HelmChart.K8S;
        for (String example : HelmChart.EXAMPLE_NAMES) {
            Path folder = k8s.resolve(example);
            if (Files.isDirectory(folder)) {
                try (Stream<Path> old = Files.walk(folder)) {
                    for (Path path : old.sorted((a, b) -> b.compareTo(a)).toList()) {
                        Files.delete(path);
                    }
                }
            }
            for (Map.Entry<String, String> file : files(example).entrySet()) {
                Path target = folder.resolve(file.getKey());
                Files.createDirectories(target.getParent());
                Files.writeString(target, file.getValue());
            }
            System.out.println("[k8s] wrote " + k8s.relativize(folder) + " from helm/examples/" + example + ".yaml");
        }
    }

    /** The files of k8s/&lt;example&gt;/: template path (e.g. signaling/deployment.yaml) to content. */
    static Map<String, String> files(String example) {
        String rendered = HelmChart.template(example);
        Map<String, List<String>> documents = new TreeMap<>();
        for (String document : rendered.split("(?m)^---\\s*$")) {
            Matcher source = SOURCE.matcher(document);
            if (!source.find()) {
                continue;
            }
            String body = document.strip();
            documents.computeIfAbsent(source.group(1), k -> new ArrayList<>()).add(body);
        }
        Map<String, String> files = new TreeMap<>();
        String header = "# Generated from helm/parley with helm/examples/" + example + ".yaml (release \""
                + HelmChart.RELEASE + "\", namespace \"" + HelmChart.NAMESPACE + "\").\n"
                + "# Do not edit: change the chart and run `mvn -q -B install -pl tests/deploy -Pk8s-manifests`.\n";
        documents.forEach((path, bodies) -> files.put(path, header + "---\n" + String.join("\n---\n", bodies) + "\n"));
        return files;
    }
}
