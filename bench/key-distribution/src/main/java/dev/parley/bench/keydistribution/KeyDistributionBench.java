package dev.parley.bench.keydistribution;

import dev.parley.bench.common.Bench;
import dev.parley.bench.common.BenchRun;
import dev.parley.bench.common.CpuUsage;
import dev.parley.bench.common.Header;
import dev.parley.bench.common.Machine;
import dev.parley.bench.common.Phases;
import dev.parley.bench.common.Replica;
import dev.parley.bench.common.Replicas;
import dev.parley.bench.common.Report;
import dev.parley.bench.common.RunOptions;
import dev.parley.bench.common.StackEnvironment;
import dev.parley.events.Topic;
import dev.parley.testing.LocalStack;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The key-distribution benchmark ({@code make bench-key-distribution}): starts key-distribution
 * replicas from the packaged jar against the local stack, on a Redis database and a calls topic
 * of the bench's own, forms call groups with the Java client library's {@code CallKeys} as the
 * members, runs the phases, stops the replicas, prints the figures and writes them to
 * {@code bench/results/key-distribution-<date>.txt}.
 */
public final class KeyDistributionBench implements Bench {

    private static final String SERVICE = "key-distribution";
    /** The replicas' consumer group on the bench's calls topic. */
    private static final String CALLS_GROUP = "key-distribution-bench";
    private static final String AUTHORITY_SEED = "PARLEY_KEY_DISTRIBUTION_AUTHORITY_SEED";

    private final BenchConfig config;
    private final CallTopic calls;

    private KeyDistributionBench(BenchConfig config, CallTopic calls) {
        this.config = config;
        this.calls = calls;
    }

    public static void main(String[] args) throws Exception {
        BenchConfig config = BenchConfig.parse(args);
        CallTopic calls = new CallTopic(LocalStack.kafkaBootstrap(), config.callsTopic());
        int status;
        try {
            status = BenchRun.run(SERVICE, config.run(), new KeyDistributionBench(config, calls));
        } finally {
            // Only once no replica reads it any more.
            calls.delete();
            calls.close();
        }
        System.exit(status);
    }

    /**
     * The bench's calls topic and consumer group instead of the service's (see {@link CallTopic}),
     * a Parley CA made for this run (the same on every replica), and warnings only in the logs.
     */
    @Override
    public Map<String, String> settings() {
        byte[] seed = new byte[32];
        new SecureRandom().nextBytes(seed);
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("MP_MESSAGING_INCOMING_CALLS_TOPIC", config.callsTopic());
        settings.put("MP_MESSAGING_INCOMING_CALLS_GROUP_ID", CALLS_GROUP);
        settings.put(AUTHORITY_SEED, Base64.getEncoder().encodeToString(seed));
        settings.put("QUARKUS_LOG_LEVEL", "WARN");
        return settings;
    }

    @Override
    public void header(Report report, Map<String, String> environment) {
        RunOptions run = config.run();
        if (Header.git(run.buildRoot(), "rev-parse", "--short", "HEAD").equals("?")) {
            // A build root exported from the repository (git archive HEAD) has no history of its own.
            report.line("%s built from an export (git archive) of commit %s", SERVICE, config.builtFrom().isBlank()
                    ? Header.git(run.repository(), "rev-parse", "--short", "HEAD") + " (the repository's HEAD now; pass --built-from)"
                    : config.builtFrom());
        } else {
            Header.commit(report, SERVICE, run.buildRoot());
        }
        Header.jvm(report, SERVICE, run);
        report.line("stack: Kafka %s, Redis %s (the bench's own database, emptied before and after), Keycloak %s, all on this machine; "
                        + "the bench's clients (parley-client CallKeys, bcmls) are one JVM on the same machine",
                LocalStack.kafkaBootstrap(), run.redisUrl(), LocalStack.keycloakUrl());
        Header.environment(report, "replica environment besides the stack's addresses and random secrets (guest tokens, the CA's seed):",
                environment, Set.of(StackEnvironment.KAFKA, StackEnvironment.ISSUER, StackEnvironment.guestSecret(SERVICE), AUTHORITY_SEED));
    }

    /**
     * The replicas start on an empty bench database, at the current end of the group log, with
     * the bench's calls topic there to read.
     */
    @Override
    public void measure(Replicas replicas, Report report, Phases phases) throws Exception {
        try (BenchDatabase database = new BenchDatabase(config.run().redisUrl())) {
            database.empty();
            Map<Integer, Long> ends = database.startAtEndOfGroupLog(LocalStack.kafkaBootstrap());
            report.line("group log %s: shared with any other key-distribution service on this broker; the replicas start at its end (%,d records before this run)",
                    Topic.GROUPS.topicName(), ends.values().stream().mapToLong(Long::longValue).sum());
            calls.create();
            replicas.start();
            for (Replica replica : replicas.all()) {
                report.line("replica %d: pid %d, http://127.0.0.1:%d, log %s", replica.index(), replica.pid(), replica.port(),
                        config.run().repository().relativize(replica.log()));
            }
            People people = new People();
            for (String phase : config.run().phases()) {
                CpuUsage cpuBefore = CpuUsage.now();
                Set<Long> replicaPids = new HashSet<>();
                phases.run(() -> {
                    Replica first = replicas.all().get(0);
                    switch (phase.trim()) {
                        case "group-commits" -> new GroupCommitBench(config, first, people, calls, report).run();
                        case "replica-commits" -> new ReplicaCommitBench(config, replicas, people, calls, report).run();
                        case "leave" -> new LeaveBench(config, first, people, calls, report).run();
                        case "breakdown" -> new BreakdownBench(config, first, people, calls, report).run();
                        default -> throw new IllegalArgumentException("unknown phase " + phase);
                    }
                });
                replicas.all().forEach(r -> replicaPids.add(r.pid()));
                report.line("%s", CpuUsage.now().since(cpuBefore, replicaPids));
                report.line("(load average after this phase: %s; every process on this machine counts)", Machine.loadAverage());
            }
            report.section("replicas at the end");
            for (Replica replica : replicas.all()) {
                report.line("replica %d: heap used %s, RSS %s", replica.index(), Report.mib(replica.heapUsedBytes()),
                        Report.mib(replica.rssBytes()));
            }
            database.empty();
        }
    }
}
