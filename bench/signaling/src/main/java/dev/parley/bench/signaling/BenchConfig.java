package dev.parley.bench.signaling;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What to measure and how hard, from {@code --key=value} arguments (all optional; see
 * {@code bench/README.md}).
 */
record BenchConfig(
        Path repository,
        Path buildRoot,
        List<String> phases,
        int replicas,
        int basePort,
        String replicaHeap,
        String redisUrl,
        int eventLoops,
        int connections,
        int connectConcurrency,
        int destinationAddresses,
        boolean probePastLimit,
        int fanOutMembers,
        int fanOutWarmupRounds,
        int fanOutRounds,
        int fanOutIntervalMillis,
        int payloadBytes,
        List<JoinScenario> joinScenarios,
        Map<String, String> replicaEnvironment,
        String resultsLabel) {

    /**
     * {@code rooms} rooms of {@code members} members each, joining all at once ({@code inFlight}
     * 0) or with at most {@code inFlight} joins waiting for an answer at any time.
     */
    record JoinScenario(int rooms, int members, int inFlight) {
        static JoinScenario parse(String text) {
            String[] limit = text.trim().split("@");
            String[] parts = limit[0].split("x");
            if (parts.length != 2 || limit.length > 2) {
                throw new IllegalArgumentException("a join scenario is <rooms>x<members>[@<in flight>], e.g. 50x10 or 1x1000@16: " + text);
            }
            return new JoinScenario(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]),
                    limit.length == 2 ? Integer.parseInt(limit[1]) : 0);
        }

        int total() {
            return rooms * members;
        }

        @Override
        public String toString() {
            return rooms + " room" + (rooms == 1 ? "" : "s") + " x " + members + " members, "
                    + (inFlight <= 0 ? "all joining at once" : "at most " + inFlight + " joins in flight");
        }
    }

    static BenchConfig parse(String[] args) {
        Map<String, String> given = new HashMap<>();
        for (String arg : args) {
            if (!arg.startsWith("--") || !arg.contains("=")) {
                throw new IllegalArgumentException("arguments are --key=value; got " + arg);
            }
            given.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
        }
        Options o = new Options(given);
        List<JoinScenario> scenarios = new ArrayList<>();
        for (String s : o.text("join-scenarios", "50x10,50x10@16,1x1000,1x1000@16").split(",")) {
            if (!s.isBlank()) {
                scenarios.add(JoinScenario.parse(s));
            }
        }
        BenchConfig config = new BenchConfig(
                Path.of(o.text("repository", ".")).toAbsolutePath().normalize(),
                Path.of(o.text("build-root", o.text("repository", "."))).toAbsolutePath().normalize(),
                List.of(o.text("phases", "connections,fanout,joins").split(",")),
                o.integer("replicas", 3),
                o.integer("base-port", 18080),
                o.text("replica-heap", "2g"),
                o.text("redis-url", "redis://127.0.0.1:6379/7"),
                o.integer("event-loops", 2),
                o.integer("connections", 50_000),
                o.integer("connect-concurrency", 200),
                o.integer("addresses", 8),
                Boolean.parseBoolean(o.text("probe-past-limit", "true")),
                o.integer("fanout-members", 100),
                o.integer("fanout-warmup", 100),
                o.integer("fanout-rounds", 500),
                o.integer("fanout-interval-ms", 20),
                o.integer("payload-bytes", 200),
                scenarios,
                environment(o.text("replica-env", "")),
                o.text("results-label", ""));
        o.rejectUnknown();
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

    private static final class Options {
        private final Map<String, String> given;
        private final Map<String, String> unused;

        Options(Map<String, String> given) {
            this.given = given;
            this.unused = new HashMap<>(given);
        }

        String text(String key, String fallback) {
            unused.remove(key);
            return given.getOrDefault(key, fallback);
        }

        int integer(String key, int fallback) {
            return Integer.parseInt(text(key, Integer.toString(fallback)));
        }

        void rejectUnknown() {
            if (!unused.isEmpty()) {
                throw new IllegalArgumentException("unknown arguments: " + unused.keySet());
            }
        }
    }
}
