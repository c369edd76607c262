package dev.parley.bench.common;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The options every bench takes (see {@code bench/README.md}), with defaults of its own: where the
 * repository and the build are, which phases to run, how many replicas on which ports with which
 * heap and Redis, more environment for them, and a label for the results file.
 */
public record RunOptions(
        Path repository,
        Path buildRoot,
        List<String> phases,
        int replicas,
        int basePort,
        String replicaHeap,
        String redisUrl,
        Map<String, String> replicaEnvironment,
        String resultsLabel) {

    /** A bench's defaults for the options whose values differ between benches. */
    public record Defaults(String phases, int replicas, int basePort, String replicaHeap, String redisUrl) {
    }

    public static RunOptions read(Arguments arguments, Defaults defaults) {
        String repository = arguments.text("repository", ".");
        return new RunOptions(
                Path.of(repository).toAbsolutePath().normalize(),
                Path.of(arguments.text("build-root", repository)).toAbsolutePath().normalize(),
                List.of(arguments.text("phases", defaults.phases()).split(",")),
                arguments.integer("replicas", defaults.replicas()),
                arguments.integer("base-port", defaults.basePort()),
                arguments.text("replica-heap", defaults.replicaHeap()),
                arguments.text("redis-url", defaults.redisUrl()),
                environment(arguments.text("replica-env", "")),
                arguments.text("results-label", ""));
    }

    /** {@code KEY=value,KEY=value}: extra environment for the replicas, for experiments. */
    private static Map<String, String> environment(String text) {
        Map<String, String> env = new LinkedHashMap<>();
        for (String pair : text.split(",")) {
            if (!pair.isBlank()) {
                int eq = pair.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("--replica-env is KEY=value,KEY=value; got " + pair);
                }
                env.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
            }
        }
        return env;
    }
}
