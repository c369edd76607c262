package dev.parley.bench.keydistribution;

import dev.parley.bench.common.Arguments;
import dev.parley.bench.common.RunOptions;

/**
 * What to measure and how hard, from {@code --key=value} arguments (see {@code bench/README.md}):
 * the options every bench takes, then the key-distribution bench's own.
 */
record BenchConfig(
        RunOptions run,
        String callsTopic,
        int groupMembers,
        int groupSeconds,
        int replicaGroups,
        int replicaGroupMembers,
        int replicaSeconds,
        int scalingReplicas,
        int leaveMembers,
        int leaveRounds,
        int joinBatch,
        int keyPackages,
        int setupConcurrency,
        String builtFrom) {

    private static final RunOptions.Defaults DEFAULTS = new RunOptions.Defaults(
            "group-commits,leave,breakdown,replica-commits", 1, 18282, "1g", "redis://127.0.0.1:6379/12");

    static BenchConfig parse(String[] args) {
        Arguments o = new Arguments(args);
        BenchConfig config = new BenchConfig(
                RunOptions.read(o, DEFAULTS),
                o.text("calls-topic", "parley.bench.calls"),
                o.integer("group-members", 5),
                o.integer("group-seconds", 20),
                o.integer("replica-groups", 40),
                o.integer("replica-group-members", 3),
                o.integer("replica-seconds", 20),
                o.integer("scaling-replicas", 2),
                o.integer("leave-members", 50),
                o.integer("leave-rounds", 20),
                o.integer("join-batch", 10),
                o.integer("key-packages", 2),
                o.integer("setup-concurrency", 8),
                o.text("built-from", ""));
        o.rejectUnknown();
        return config;
    }
}
