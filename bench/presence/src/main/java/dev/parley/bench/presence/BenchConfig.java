package dev.parley.bench.presence;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** What to measure and how hard, from {@code --key=value} arguments (see {@code bench/README.md}). */
record BenchConfig(
        Path repository,
        Path buildRoot,
        List<String> phases,
        int replicas,
        int basePort,
        String replicaHeap,
        String redisUrl,
        String connectionsTopic,
        int heartbeatSeconds,
        int heartbeatConcurrency,
        int heartbeatDevices,
        int connectionUsers,
        int subscribers,
        int fanOutWarmup,
        int fanOutRounds,
        int fanOutIntervalMillis,
        int memoryUsers,
        long redisUsableBytes,
        Map<String, String> replicaEnvironment,
        String builtFrom,
        String resultsLabel) {

    static BenchConfig parse(String[] args) {
        Map<String, String> given = new HashMap<>();
        for (String arg : args) {
            if (!arg.startsWith("--") || !arg.contains("=")) {
                throw new IllegalArgumentException("arguments are --key=value; got " + arg);
            }
            given.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
        }
        Map<String, String> unused = new HashMap<>(given);
        java.util.function.BiFunction<String, String, String> text = (key, fallback) -> {
            unused.remove(key);
            return given.getOrDefault(key, fallback);
        };
        java.util.function.BiFunction<String, Integer, Integer> integer =
                (key, fallback) -> Integer.parseInt(text.apply(key, Integer.toString(fallback)));
        BenchConfig config = new BenchConfig(
                Path.of(text.apply("repository", ".")).toAbsolutePath().normalize(),
                Path.of(text.apply("build-root", given.getOrDefault("repository", "."))).toAbsolutePath().normalize(),
                List.of(text.apply("phases", "heartbeats,connections,fanout,memory").split(",")),
                integer.apply("replicas", 2),
                integer.apply("base-port", 18181),
                text.apply("replica-heap", "1g"),
                text.apply("redis-url", "redis://127.0.0.1:6379/11"),
                text.apply("connections-topic", "parley.bench.connections"),
                integer.apply("heartbeat-seconds", 20),
                integer.apply("heartbeat-concurrency", 32),
                integer.apply("heartbeat-devices", 4),
                integer.apply("connection-users", 50_000),
                integer.apply("subscribers", 200),
                integer.apply("fanout-warmup", 20),
                integer.apply("fanout-rounds", 200),
                integer.apply("fanout-interval-ms", 100),
                integer.apply("memory-users", 100_000),
                Long.parseLong(text.apply("redis-usable-gb", "16")) * 1024L * 1024 * 1024,
                environment(text.apply("replica-env", "")),
                text.apply("built-from", ""),
                text.apply("results-label", ""));
        if (!unused.isEmpty()) {
            throw new IllegalArgumentException("unknown arguments: " + unused.keySet());
        }
        return config;
    }

    /** {@code KEY=value,KEY=value}: extra environment for the replicas, for experiments. */
    private static Map<String, String> environment(String text) {
        Map<String, String> env = new java.util.LinkedHashMap<>();
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
