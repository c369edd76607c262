package dev.parley.bench.common;

import java.util.Map;

/**
 * The course every bench run takes: header, replicas, phases, results. The replicas are stopped
 * however the phases end (also on Ctrl-C); the figures go to
 * {@code bench/results/<service>-<date>[-<label>].txt}.
 */
public final class BenchRun {

    private BenchRun() {
    }

    /**
     * Runs {@code bench} against replicas of {@code service} configured by {@code options}; returns
     * the exit status, 1 when a phase failed.
     */
    public static int run(String service, RunOptions options, Bench bench) throws Exception {
        Report report = new Report();
        Map<String, String> environment = StackEnvironment.of(service, options.redisUrl());
        environment.putAll(bench.settings());
        environment.putAll(options.replicaEnvironment());
        Header.opening(report, service);
        bench.header(report, environment);
        Phases phases = new Phases(report);
        try (Replicas replicas = new Replicas(service, options, environment)) {
            bench.measure(replicas, report, phases);
        }
        report.writeResults(options.repository(), service, options.resultsLabel());
        return phases.exitStatus();
    }
}
