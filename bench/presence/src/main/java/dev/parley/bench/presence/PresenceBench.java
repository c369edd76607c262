package dev.parley.bench.presence;

import dev.parley.testing.DemoUser;
import dev.parley.testing.LocalStack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The presence benchmark ({@code make bench-presence}): starts presence replicas from the packaged
 * jar against the local stack, on a Redis database and a connections topic of the bench's own,
 * runs the phases, stops the replicas, prints the figures and writes them to
 * {@code bench/results/presence-<date>.txt}.
 */
public final class PresenceBench {

    private PresenceBench() {
    }

    public static void main(String[] args) throws Exception {
        BenchConfig config = BenchConfig.parse(args);
        Report report = new Report();
        List<Replica> replicas = new CopyOnWriteArrayList<>();
        Thread stopReplicas = new Thread(() -> replicas.forEach(Replica::close), "stop-replicas");
        Runtime.getRuntime().addShutdownHook(stopReplicas);

        Map<String, String> environment = environment(config);
        Path logs = config.repository().resolve("bench/presence/target/replica-logs");
        int failures = 0;
        header(report, config, environment);
        Connections connections = new Connections(LocalStack.kafkaBootstrap(), config.connectionsTopic());
        try (Redis redis = new Redis(config.redisUrl())) {
            redis.flushOwnDatabase();
            connections.createTopic();
            for (int i = 0; i < config.replicas(); i++) {
                replicas.add(Replica.start(config.buildRoot(), i, config.basePort() + i, config.replicaHeap(), environment, logs));
            }
            for (Replica replica : replicas) {
                replica.awaitReady(Duration.ofSeconds(90));
                report.line("replica %d: pid %d, http://127.0.0.1:%d, log %s", replica.index, replica.pid(), replica.port,
                        config.repository().relativize(replica.log));
            }
            Rest rest = new Rest(DemoUser.DAVE);
            for (String phase : config.phases()) {
                try {
                    switch (phase.trim()) {
                        case "heartbeats" -> new HeartbeatBench(config, replicas, rest, report).run();
                        case "connections" -> new ConnectionBench(config, replicas, connections, redis, report).run();
                        case "fanout" -> new FanOutBench(config, replicas, rest, report).run();
                        case "memory" -> new MemoryBench(config, replicas, connections, redis, report).run();
                        default -> throw new IllegalArgumentException("unknown phase " + phase);
                    }
                } catch (Exception e) {
                    failures++;
                    report.line("FAILED: %s", e);
                    e.printStackTrace();
                }
                report.line("(load average after this phase: %s; every process on this machine counts)", read("/proc/loadavg"));
            }
            report.section("replicas at the end");
            for (Replica replica : replicas) {
                report.line("replica %d: heap used %s, RSS %s, %s published changes", replica.index,
                        Report.mib(replica.heapUsedBytes()), Report.mib(replica.rssBytes()),
                        String.format("%,.0f", Rest.changes(List.of(replica))));
            }
            redis.flushOwnDatabase();
        } finally {
            replicas.forEach(Replica::close);
            Runtime.getRuntime().removeShutdownHook(stopReplicas);
            // Only once no replica reads it any more.
            connections.deleteTopic();
            connections.close();
        }
        Path results = config.repository().resolve("bench/results/presence-" + LocalDate.now(ZoneOffset.UTC)
                + (config.resultsLabel().isBlank() ? "" : "-" + config.resultsLabel()) + ".txt");
        report.write(results);
        System.out.println();
        System.out.println("=".repeat(100));
        System.out.print(report.text());
        System.out.println("=".repeat(100));
        System.out.println("[bench] written to " + config.repository().relativize(results));
        System.exit(failures == 0 ? 0 : 1);
    }

    /**
     * Configuration of every replica: the local stack, the bench's Redis database, and consumer
     * groups and a connections topic of the bench's own, so nothing the bench does reaches the
     * presence services of {@code make run} or of the tests (and none of theirs reaches the bench),
     * except the shared {@code parley.presence} and {@code parley.rings} topics every replica tails.
     */
    private static Map<String, String> environment(BenchConfig config) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", LocalStack.kafkaBootstrap());
        env.put("QUARKUS_REDIS_HOSTS", config.redisUrl());
        env.put("QUARKUS_OIDC_AUTH_SERVER_URL", LocalStack.issuer());
        byte[] secret = new byte[32];
        new java.security.SecureRandom().nextBytes(secret);
        env.put("PARLEY_PRESENCE_GUESTS_TOKEN_SECRET", java.util.HexFormat.of().formatHex(secret));
        env.put("MP_MESSAGING_INCOMING_CONNECTIONS_TOPIC", config.connectionsTopic());
        env.put("MP_MESSAGING_INCOMING_CONNECTIONS_GROUP_ID", "presence-bench");
        env.put("MP_MESSAGING_INCOMING_CALLS_GROUP_ID", "presence-bench");
        env.put("MP_MESSAGING_INCOMING_CALLS_AUTO_OFFSET_RESET", "latest");
        env.put("QUARKUS_LOG_LEVEL", "WARN");
        env.putAll(config.replicaEnvironment());
        return env;
    }

    private static void header(Report report, BenchConfig config, Map<String, String> environment) {
        report.line("Parley presence benchmark, %s", ZonedDateTime.now(ZoneOffset.UTC)
                .format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")));
        report.line("machine: %d cores (%s), %s RAM, %s, kernel %s", Runtime.getRuntime().availableProcessors(),
                firstValue("/proc/cpuinfo", "model name"), memTotal(), osName(), read("/proc/sys/kernel/osrelease"));
        String commit = git(config.buildRoot(), "rev-parse", "--short", "HEAD");
        if (commit.equals("?")) {
            // A build root exported from the repository (git archive HEAD) has no history of its own.
            report.line("presence built from an export (git archive) of commit %s", config.builtFrom().isBlank()
                    ? git(config.repository(), "rev-parse", "--short", "HEAD") + " (the repository's HEAD now; pass --built-from)"
                    : config.builtFrom());
        } else {
            report.line("presence built from commit %s%s", commit,
                    git(config.buildRoot(), "status", "--porcelain", "--", "services/presence/src/main", "libs/events/src/main",
                            "libs/runtime/src/main").isBlank() ? "" : " plus uncommitted changes to its sources");
        }
        report.line("JVM: %s %s; replicas: %d x presence (quarkus-run.jar), -Xmx%s -XX:+UseG1GC", System.getProperty("java.vm.name"),
                System.getProperty("java.runtime.version"), config.replicas(), config.replicaHeap());
        report.line("stack: Kafka %s, Redis %s (the bench's own database, emptied before and after), Keycloak %s, all on this machine; the bench client is one JVM on the same machine",
                LocalStack.kafkaBootstrap(), config.redisUrl(), LocalStack.keycloakUrl());
        report.line("replica environment besides the stack's addresses and a random guest-token secret:");
        environment.forEach((k, v) -> {
            if (!k.equals("KAFKA_BOOTSTRAP_SERVERS") && !k.equals("QUARKUS_OIDC_AUTH_SERVER_URL")
                    && !k.equals("PARLEY_PRESENCE_GUESTS_TOKEN_SECRET")) {
                report.line("  %s=%s", k, v);
            }
        });
    }

    private static String git(Path repository, String... args) {
        try {
            List<String> command = new ArrayList<>(List.of("git", "-C", repository.toString()));
            command.addAll(List.of(args));
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            return p.waitFor() == 0 ? out : "?";
        } catch (Exception e) {
            return "?";
        }
    }

    private static String memTotal() {
        String kb = firstValue("/proc/meminfo", "MemTotal").replaceAll("[^0-9]", "");
        return kb.isEmpty() ? "?" : String.format("%.1f GB", Long.parseLong(kb) / 1024.0 / 1024.0);
    }

    private static String osName() {
        return firstValue("/etc/os-release", "PRETTY_NAME").replace("\"", "").replaceFirst("^=", "");
    }

    private static String firstValue(String file, String key) {
        try {
            for (String line : Files.readAllLines(Path.of(file))) {
                if (line.startsWith(key)) {
                    return line.substring(key.length()).replaceFirst("^\\s*[:=]\\s*", "").trim();
                }
            }
        } catch (Exception e) {
            // unknown
        }
        return "?";
    }

    private static String read(String file) {
        try {
            return Files.readString(Path.of(file)).trim();
        } catch (Exception e) {
            return "?";
        }
    }
}
