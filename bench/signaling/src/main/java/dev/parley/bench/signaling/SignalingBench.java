package dev.parley.bench.signaling;

import dev.parley.bench.common.Bench;
import dev.parley.bench.common.BenchRun;
import dev.parley.bench.common.CpuUsage;
import dev.parley.bench.common.DemoUserToken;
import dev.parley.bench.common.Header;
import dev.parley.bench.common.Phases;
import dev.parley.bench.common.Replica;
import dev.parley.bench.common.Replicas;
import dev.parley.bench.common.Report;
import dev.parley.bench.common.RunOptions;
import dev.parley.bench.common.StackEnvironment;
import dev.parley.testing.DemoUser;
import dev.parley.testing.LocalStack;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The signaling benchmark ({@code make bench}): starts signaling replicas from the packaged jar
 * against the local stack, runs the phases, stops the replicas, prints the figures and writes
 * them to {@code bench/results/signaling-<date>.txt}.
 */
public final class SignalingBench implements Bench {

    private final BenchConfig config;

    private SignalingBench(BenchConfig config) {
        this.config = config;
    }

    public static void main(String[] args) throws Exception {
        BenchConfig config = BenchConfig.parse(args);
        System.exit(BenchRun.run("signaling", config.run(), new SignalingBench(config)));
    }

    /** Rate limits raised so the load is not refused. */
    @Override
    public Map<String, String> settings() {
        Map<String, String> limits = new LinkedHashMap<>();
        limits.put("PARLEY_SIGNALING_ROOMS_CREATE_PER_MINUTE", "1000000");
        limits.put("PARLEY_SIGNALING_ROOMS_CHANGES_PER_MINUTE", "1000000");
        limits.put("PARLEY_SIGNALING_INVITES_REDEMPTIONS_PER_MINUTE", "1000000");
        limits.put("PARLEY_SIGNALING_CALLS_MESSAGES_PER_SECOND", "1000");
        limits.put("PARLEY_SIGNALING_CALLS_BURST", "2000");
        return limits;
    }

    @Override
    public void header(Report report, Map<String, String> environment) {
        RunOptions run = config.run();
        Header.commit(report, "signaling", run.buildRoot());
        Header.jvm(report, "signaling", run);
        report.line("stack: Kafka %s, Redis %s, Keycloak %s, all on this machine; the bench client is one JVM (Vert.x WebSocket client, %d event loops) on the same machine",
                LocalStack.kafkaBootstrap(), run.redisUrl(), LocalStack.keycloakUrl(), config.eventLoops());
        Header.environment(report, "replica environment besides the stack's addresses and the guest-token secret:",
                environment, Set.of(StackEnvironment.guestSecret("signaling"), StackEnvironment.KAFKA, StackEnvironment.ISSUER,
                        StackEnvironment.REDIS));
    }

    /** Every client in one JVM, on one Vert.x WebSocket client opened before the replicas start. */
    @Override
    public void measure(Replicas replicas, Report report, Phases phases) throws Exception {
        try (CallClient client = new CallClient(config.eventLoops())) {
            replicas.start();
            for (Replica replica : replicas.all()) {
                report.line("replica %d: pid %d, http://127.0.0.1:%d (listening on 0.0.0.0), log %s", replica.index(),
                        replica.pid(), replica.port(), config.run().repository().relativize(replica.log()));
            }
            RestApi api = new RestApi();
            DemoUserToken alice = new DemoUserToken(DemoUser.ALICE);
            for (String phase : config.run().phases()) {
                CpuUsage cpuBefore = CpuUsage.now();
                Set<Long> replicaPids = new HashSet<>();
                replicas.all().forEach(r -> replicaPids.add(r.pid()));
                phases.run(() -> {
                    switch (phase.trim()) {
                        case "connections" -> new ConnectionBench(config, replicas.all().get(0), client, alice, report).run();
                        case "fanout" -> new FanOutBench(config, replicas.all(), client, api, alice, report).run();
                        case "joins" -> new JoinBench(config, replicas.all(), client, api, alice, report).run();
                        default -> throw new IllegalArgumentException("unknown phase " + phase);
                    }
                });
                report.line("%s", CpuUsage.now().since(cpuBefore, replicaPids));
                if (phase.trim().equals("connections")) {
                    // A fresh replica 0 for the calls: no heap grown for tens of thousands of sockets.
                    replicas.restart(0);
                }
            }
            if (!client.unsolicitedErrors.isEmpty()) {
                Map<String, Long> errors = new TreeMap<>();
                client.unsolicitedErrors.forEach((k, v) -> errors.put(k, v.sum()));
                report.section("errors no request was waiting for");
                report.line("%s", errors);
            }
        }
    }
}
