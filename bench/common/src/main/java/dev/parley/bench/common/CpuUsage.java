package dev.parley.bench.common;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Who used the machine's CPU during a phase, from {@code /proc}: the replicas, the bench client,
 * the stack (Kafka, Redis, Keycloak) and anything else, so a figure taken while something else
 * loaded the machine shows it. Shared by the benches: each prints it after every phase.
 */
public final class CpuUsage {

    private final long machineJiffies;
    private final Map<Long, Long> processJiffies;
    private final Map<Long, String> names;

    private CpuUsage(long machineJiffies, Map<Long, Long> processJiffies, Map<Long, String> names) {
        this.machineJiffies = machineJiffies;
        this.processJiffies = processJiffies;
        this.names = names;
    }

    public static CpuUsage now() {
        Map<Long, Long> jiffies = new HashMap<>();
        Map<Long, String> names = new HashMap<>();
        try (DirectoryStream<Path> processes = Files.newDirectoryStream(Path.of("/proc"), p -> p.getFileName().toString().matches("[0-9]+"))) {
            for (Path process : processes) {
                try {
                    String stat = Files.readString(process.resolve("stat"));
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    long pid = Long.parseLong(process.getFileName().toString());
                    jiffies.put(pid, Long.parseLong(fields[11]) + Long.parseLong(fields[12]));
                    names.put(pid, name(process, stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'))));
                } catch (IOException | RuntimeException gone) {
                    // the process ended meanwhile
                }
            }
        } catch (IOException e) {
            return new CpuUsage(0, jiffies, names);
        }
        return new CpuUsage(machineJiffies(), jiffies, names);
    }

    /** {@code CPU during this phase, in cores of 2: replicas 1.10, bench client 0.40, kafka 0.08, …}. */
    public String since(CpuUsage start, Set<Long> replicaPids) {
        long elapsed = machineJiffies - start.machineJiffies;
        if (elapsed <= 0) {
            return "CPU use unknown";
        }
        int cores = Runtime.getRuntime().availableProcessors();
        long self = ProcessHandle.current().pid();
        Map<String, Long> groups = new LinkedHashMap<>();
        groups.put("replicas", 0L);
        groups.put("bench client", 0L);
        for (Map.Entry<Long, Long> p : processJiffies.entrySet()) {
            long used = p.getValue() - start.processJiffies.getOrDefault(p.getKey(), 0L);
            if (used <= 0) {
                continue;
            }
            String group = replicaPids.contains(p.getKey()) ? "replicas" : p.getKey() == self ? "bench client"
                    : names.getOrDefault(p.getKey(), "other");
            groups.merge(group, used, Long::sum);
        }
        StringBuilder text = new StringBuilder(String.format("CPU during this phase, in cores (of %d):", cores));
        groups.entrySet().stream()
                .filter(g -> g.getKey().equals("replicas") || g.getKey().equals("bench client")
                        || g.getValue() * cores / (double) elapsed >= 0.01)
                .sorted((a, b) -> order(a.getKey()) != order(b.getKey()) ? order(a.getKey()) - order(b.getKey())
                        : Long.compare(b.getValue(), a.getValue()))
                .forEach(g -> text.append(String.format(" %s %.2f,", g.getKey(), g.getValue() * cores / (double) elapsed)));
        text.setLength(text.length() - 1);
        return text.toString();
    }

    private static int order(String group) {
        return switch (group) {
            case "replicas" -> 0;
            case "bench client" -> 1;
            case "kafka", "redis", "keycloak" -> 2;
            default -> 3;
        };
    }

    private static String name(Path process, String comm) {
        if (comm.startsWith("redis")) {
            return "redis";
        }
        if (!comm.equals("java")) {
            return "other: " + comm;
        }
        try {
            String command = Files.readString(process.resolve("cmdline")).replace('\0', ' ');
            if (command.contains("kafka.Kafka")) {
                return "kafka";
            }
            if (command.contains("keycloak")) {
                return "keycloak";
            }
            if (command.contains("plexus-classworlds") || command.contains("surefire")) {
                return "other: maven and tests";
            }
            if (command.contains("quarkus-run.jar")) {
                return "other: other Quarkus services";
            }
        } catch (IOException | RuntimeException e) {
            // gone
        }
        return "other: java";
    }

    private static long machineJiffies() {
        try {
            String[] cpu = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long total = 0;
            for (int i = 1; i <= 8 && i < cpu.length; i++) {
                total += Long.parseLong(cpu[i]);
            }
            return total;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
