package dev.parley.bench.signaling;

import dev.parley.testing.LocalStack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The signaling benchmark ({@code make bench}): starts signaling replicas from the packaged jar
 * against the local stack, runs the phases, stops the replicas, prints the figures and writes
 * them to {@code bench/results/signaling-<date>.txt}.
 */
public final class SignalingBench {

    private SignalingBench() {
    }

    public static void main(String[] args) throws Exception {
        BenchConfig config = BenchConfig.parse(args);
        Report report = new Report();
        List<Replica> replicas = new CopyOnWriteArrayList<>();
        Thread stopReplicas = new Thread(() -> replicas.forEach(Replica::close), "stop-replicas");
        Runtime.getRuntime().addShutdownHook(stopReplicas);

        Map<String, String> environment = environment(config);
        Path logs = config.repository().resolve("bench/signaling/target/replica-logs");
        int failures = 0;
        header(report, config, environment);
        try (CallClient client = new CallClient(config.eventLoops())) {
            for (int i = 0; i < config.replicas(); i++) {
                replicas.add(Replica.start(config.buildRoot(), i, config.basePort() + i, config.replicaHeap(), environment, logs));
            }
            for (Replica replica : replicas) {
                replica.awaitReady(Duration.ofSeconds(90));
                report.line("replica %d: pid %d, http://127.0.0.1:%d (listening on 0.0.0.0), log %s", replica.index,
                        replica.pid(), replica.port, config.repository().relativize(replica.log));
            }
            RestApi api = new RestApi();
            AliceToken alice = new AliceToken();
            for (String phase : config.phases()) {
                CpuUsage cpuBefore = CpuUsage.now();
                java.util.Set<Long> replicaPids = new java.util.HashSet<>();
                replicas.forEach(r -> replicaPids.add(r.pid()));
                try {
                    switch (phase.trim()) {
                        case "connections" -> new ConnectionBench(config, replicas.get(0), client, alice, report).run();
                        case "fanout" -> new FanOutBench(config, replicas, client, api, alice, report).run();
                        case "joins" -> new JoinBench(config, replicas, client, api, alice, report).run();
                        default -> throw new IllegalArgumentException("unknown phase " + phase);
                    }
                } catch (Members.NotImplemented e) {
                    report.line("NOT MEASURED: %s", e.getMessage());
                } catch (Exception e) {
                    failures++;
                    report.line("FAILED: %s", e);
                    e.printStackTrace();
                }
                report.line("%s", CpuUsage.now().since(cpuBefore, replicaPids));
                if (phase.trim().equals("connections")) {
                    // A fresh replica 0 for the calls: no heap grown for tens of thousands of sockets.
                    replicas.get(0).close();
                    Replica fresh = Replica.start(config.buildRoot(), 0, replicas.get(0).port, config.replicaHeap(),
                            environment, logs);
                    replicas.set(0, fresh);
                    fresh.awaitReady(Duration.ofSeconds(90));
                }
            }
            if (!client.unsolicitedErrors.isEmpty()) {
                Map<String, Long> errors = new TreeMap<>();
                client.unsolicitedErrors.forEach((k, v) -> errors.put(k, v.sum()));
                report.section("errors no request was waiting for");
                report.line("%s", errors);
            }
        } finally {
            replicas.forEach(Replica::close);
            Runtime.getRuntime().removeShutdownHook(stopReplicas);
        }
        Path results = config.repository().resolve("bench/results/signaling-" + LocalDate.now(ZoneOffset.UTC)
                + (config.resultsLabel().isBlank() ? "" : "-" + config.resultsLabel()) + ".txt");
        report.write(results);
        System.out.println();
        System.out.println("=".repeat(100));
        System.out.print(report.text());
        System.out.println("=".repeat(100));
        System.out.println("[bench] written to " + config.repository().relativize(results));
        System.exit(failures == 0 ? 0 : 1);
    }

    /** Configuration of every replica: the local stack, one guest-token secret, limits raised for load. */
    private static Map<String, String> environment(BenchConfig config) {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        Map<String, String> env = new LinkedHashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", LocalStack.kafkaBootstrap());
        env.put("QUARKUS_REDIS_HOSTS", config.redisUrl());
        env.put("QUARKUS_OIDC_AUTH_SERVER_URL", LocalStack.issuer());
        env.put("PARLEY_SIGNALING_GUESTS_TOKEN_SECRET", HexFormat.of().formatHex(secret));
        env.put("PARLEY_SIGNALING_ROOMS_CREATE_PER_MINUTE", "1000000");
        env.put("PARLEY_SIGNALING_ROOMS_CHANGES_PER_MINUTE", "1000000");
        env.put("PARLEY_SIGNALING_INVITES_REDEMPTIONS_PER_MINUTE", "1000000");
        env.put("PARLEY_SIGNALING_CALLS_MESSAGES_PER_SECOND", "1000");
        env.put("PARLEY_SIGNALING_CALLS_BURST", "2000");
        env.putAll(config.replicaEnvironment());
        return env;
    }

    private static void header(Report report, BenchConfig config, Map<String, String> environment) {
        report.line("Parley signaling benchmark, %s", ZonedDateTime.now(ZoneOffset.UTC)
                .format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")));
        report.line("machine: %d cores (%s), %s RAM, %s, kernel %s", Runtime.getRuntime().availableProcessors(),
                firstValue("/proc/cpuinfo", "model name"), memTotal(), osName(), read("/proc/sys/kernel/osrelease"));
        report.line("signaling built from commit %s%s", git(config.buildRoot(), "rev-parse", "--short", "HEAD"),
                git(config.buildRoot(), "status", "--porcelain", "--", "services/signaling/src/main", "libs/events/src/main",
                        "libs/runtime/src/main").isBlank() ? "" : " plus uncommitted changes to its sources");
        report.line("JVM: %s %s; replicas: %d x signaling (quarkus-run.jar), -Xmx%s -XX:+UseG1GC", System.getProperty("java.vm.name"),
                System.getProperty("java.runtime.version"), config.replicas(), config.replicaHeap());
        report.line("stack: Kafka %s, Redis %s, Keycloak %s, all on this machine; the bench client is one JVM (Vert.x WebSocket client, %d event loops) on the same machine",
                LocalStack.kafkaBootstrap(), config.redisUrl(), LocalStack.keycloakUrl(), config.eventLoops());
        report.line("replica environment besides the stack's addresses and the guest-token secret:");
        environment.forEach((k, v) -> {
            if (!k.equals("PARLEY_SIGNALING_GUESTS_TOKEN_SECRET") && !k.equals("KAFKA_BOOTSTRAP_SERVERS")
                    && !k.equals("QUARKUS_OIDC_AUTH_SERVER_URL") && !k.equals("QUARKUS_REDIS_HOSTS")) {
                report.line("  %s=%s", k, v);
            }
        });
    }

    /** The output of a read-only git command in the repository ("?" when git is not there). */
    private static String git(Path repository, String... args) {
        try {
            List<String> command = new java.util.ArrayList<>(List.of("git", "-C", repository.toString()));
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
        String pretty = firstValue("/etc/os-release", "PRETTY_NAME");
        return pretty.replace("\"", "").replaceFirst("^=", "");
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
