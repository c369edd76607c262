package dev.parley.bench.signaling;

import dev.parley.bench.common.Arguments;
import dev.parley.bench.common.RunOptions;

import java.util.ArrayList;
import java.util.List;

/**
 * What to measure and how hard, from {@code --key=value} arguments (all optional; see
 * {@code bench/README.md}): the options every bench takes, then the signaling bench's own.
 */
record BenchConfig(
        RunOptions run,
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
        List<JoinScenario> joinScenarios) {

    private static final RunOptions.Defaults DEFAULTS =
            new RunOptions.Defaults("connections,fanout,joins", 3, 18080, "2g", "redis://127.0.0.1:6379/7");

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
        Arguments o = new Arguments(args);
        List<JoinScenario> scenarios = new ArrayList<>();
        for (String s : o.text("join-scenarios", "50x10,50x10@16,1x1000,1x1000@16").split(",")) {
            if (!s.isBlank()) {
                scenarios.add(JoinScenario.parse(s));
            }
        }
        BenchConfig config = new BenchConfig(
                RunOptions.read(o, DEFAULTS),
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
                scenarios);
        o.rejectUnknown();
        return config;
    }
}
