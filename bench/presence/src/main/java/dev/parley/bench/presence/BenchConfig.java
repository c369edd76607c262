package dev.parley.bench.presence;

import dev.parley.bench.common.Arguments;
import dev.parley.bench.common.RunOptions;

/**
 * What to measure and how hard, from {@code --key=value} arguments (see {@code bench/README.md}):
 * the options every bench takes, then the presence bench's own.
 */
record BenchConfig(
        RunOptions run,
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
        String builtFrom) {

    private static final RunOptions.Defaults DEFAULTS = new RunOptions.Defaults(
            "heartbeats,connections,fanout,memory", 2, 18181, "1g", "redis://127.0.0.1:6379/11");

    static BenchConfig parse(String[] args) {
        Arguments o = new Arguments(args);
        BenchConfig config = new BenchConfig(
                RunOptions.read(o, DEFAULTS),
                o.text("connections-topic", "parley.bench.connections"),
                o.integer("heartbeat-seconds", 20),
                o.integer("heartbeat-concurrency", 32),
                o.integer("heartbeat-devices", 4),
                o.integer("connection-users", 50_000),
                o.integer("subscribers", 200),
                o.integer("fanout-warmup", 20),
                o.integer("fanout-rounds", 200),
                o.integer("fanout-interval-ms", 100),
                o.integer("memory-users", 100_000),
                Long.parseLong(o.text("redis-usable-gb", "16")) * 1024L * 1024 * 1024,
                o.text("built-from", ""));
        o.rejectUnknown();
        return config;
    }
}
