package dev.parley.bench.presence;

import dev.parley.bench.common.Bench;
import dev.parley.bench.common.BenchRun;
import dev.parley.bench.common.Header;
import dev.parley.bench.common.Machine;
import dev.parley.bench.common.Phases;
import dev.parley.bench.common.Replica;
import dev.parley.bench.common.Replicas;
import dev.parley.bench.common.Report;
import dev.parley.bench.common.RunOptions;
import dev.parley.bench.common.StackEnvironment;
import dev.parley.testing.DemoUser;
import dev.parley.testing.LocalStack;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The presence benchmark ({@code make bench-presence}): starts presence replicas from the packaged
 * jar against the local stack, on a Redis database and a connections topic of the bench's own,
 * runs the phases, stops the replicas, prints the figures and writes them to
 * {@code bench/results/presence-<date>.txt}.
 */
public final class PresenceBench implements Bench {

    /**
     * The bench replicas' consumer group: in the services' own group they would take partitions,
     * and the records on them, from the presence services of {@code make run} and of the tests.
     */
    private static final String GROUP = "presence-bench";

    private final BenchConfig config;
    private final Connections connections;

    private PresenceBench(BenchConfig config, Connections connections) {
        this.config = config;
        this.connections = connections;
    }

    public static void main(String[] args) throws Exception {
        BenchConfig config = BenchConfig.parse(args);
        Connections connections = new Connections(LocalStack.kafkaBootstrap(), config.connectionsTopic());
        int status;
        try {
            status = BenchRun.run("presence", config.run(), new PresenceBench(config, connections));
        } finally {
            // Only once no replica reads it any more.
            connections.deleteTopic();
            connections.close();
        }
        System.exit(status);
    }

    @Override
    public void header(Report report, Map<String, String> environment) {
        RunOptions run = config.run();
        if (Header.git(run.buildRoot(), "rev-parse", "--short", "HEAD").equals("?")) {
            // A build root exported from the repository (git archive HEAD) has no history of its own.
            report.line("presence built from an export (git archive) of commit %s", config.builtFrom().isBlank()
                    ? Header.git(run.repository(), "rev-parse", "--short", "HEAD") + " (the repository's HEAD now; pass --built-from)"
                    : config.builtFrom());
        } else {
            Header.commit(report, "presence", run.buildRoot());
        }
        Header.jvm(report, "presence", run);
        report.line("stack: Kafka %s, Redis %s (the bench's own database, emptied before and after), Keycloak %s, all on this machine; the bench client is one JVM on the same machine",
                LocalStack.kafkaBootstrap(), run.redisUrl(), LocalStack.keycloakUrl());
        Header.environment(report, "replica environment besides the stack's addresses and a random guest-token secret:",
                environment, Set.of(StackEnvironment.KAFKA, StackEnvironment.ISSUER, StackEnvironment.guestSecret("presence")));
    }

    /**
     * Consumer groups and a connections topic of the bench's own (its Redis database is one too),
     * so nothing the bench does reaches the presence services of {@code make run} or of the tests
     * (and none of theirs reaches the bench), except the shared {@code parley.presence} and
     * {@code parley.rings} topics every replica tails.
     */
    @Override
    public Map<String, String> settings() {
        Map<String, String> isolation = new LinkedHashMap<>();
        isolation.put("MP_MESSAGING_INCOMING_CONNECTIONS_TOPIC", config.connectionsTopic());
        isolation.put("MP_MESSAGING_INCOMING_CONNECTIONS_GROUP_ID", GROUP);
        isolation.put("MP_MESSAGING_INCOMING_CALLS_GROUP_ID", GROUP);
        isolation.put("MP_MESSAGING_INCOMING_CALLS_AUTO_OFFSET_RESET", "latest");
        isolation.put("QUARKUS_LOG_LEVEL", "WARN");
        return isolation;
    }

    /** The replicas start on an empty bench database, with the bench's connections topic there to read. */
    @Override
    public void measure(Replicas replicas, Report report, Phases phases) throws Exception {
        try (Redis redis = new Redis(config.run().redisUrl())) {
            redis.flushOwnDatabase();
            connections.createTopic();
            replicas.start();
            for (Replica replica : replicas.all()) {
                report.line("replica %d: pid %d, http://127.0.0.1:%d, log %s", replica.index(), replica.pid(), replica.port(),
                        config.run().repository().relativize(replica.log()));
            }
            Rest rest = new Rest(DemoUser.DAVE);
            for (String phase : config.run().phases()) {
                phases.run(() -> {
                    switch (phase.trim()) {
                        case "heartbeats" -> new HeartbeatBench(config, replicas.all(), rest, report).run();
                        case "connections" -> new ConnectionBench(config, replicas.all(), connections, redis, report).run();
                        case "fanout" -> new FanOutBench(config, replicas.all(), rest, report).run();
                        case "memory" -> new MemoryBench(config, replicas.all(), connections, redis, report).run();
                        default -> throw new IllegalArgumentException("unknown phase " + phase);
                    }
                });
                report.line("(load average after this phase: %s; every process on this machine counts)", Machine.loadAverage());
            }
            report.section("replicas at the end");
            for (Replica replica : replicas.all()) {
                report.line("replica %d: heap used %s, RSS %s, %s published changes", replica.index(),
                        Report.mib(replica.heapUsedBytes()), Report.mib(replica.rssBytes()),
                        String.format("%,.0f", Rest.changes(List.of(replica))));
            }
            redis.flushOwnDatabase();
        }
    }
}
