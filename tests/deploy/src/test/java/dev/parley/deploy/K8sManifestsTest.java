package dev.parley.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/** k8s/ is what the chart renders today: plain-manifest users get what Helm users get. */
class K8sManifestsTest {

    static final java.util.List<String> EXAMPLES = HelmChart.EXAMPLE_NAMES;

    @ParameterizedTest
    @FieldSource("EXAMPLES")
    void k8sFolderMatchesAFreshRender(String example) throws IOException {
        Path folder = HelmChart.K8S.resolve(example);
        Map<String, String> committed = new TreeMap<>();
        if (Files.isDirectory(folder)) {
            try (Stream<Path> files = Files.walk(folder)) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    committed.put(folder.relativize(file).toString().replace('\\', '/'), Files.readString(file));
                }
            }
        }
        Map<String, String> fresh = K8sManifests.files(example);

        assertThat(committed.keySet())
                .as("files of k8s/%s; after changing the chart run: mvn -q -B install -pl tests/deploy -Pk8s-manifests", example)
                .containsExactlyElementsOf(fresh.keySet());
        fresh.forEach((path, content) -> assertThat(committed.get(path))
                .as("k8s/%s/%s differs from the chart; run: mvn -q -B install -pl tests/deploy -Pk8s-manifests", example, path)
                .isEqualTo(content));
    }
}
