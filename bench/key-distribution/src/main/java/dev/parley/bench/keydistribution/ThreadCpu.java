package dev.parley.bench.keydistribution;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which threads of one process used its CPU over a measured stretch, from
 * {@code /proc/<pid>/task/<tid>/stat} (user + system time) grouped by thread name: for a replica,
 * the one thread that applies the group log and serves the streams, the HTTP event loops, the
 * worker threads that run requests, Kafka, JIT compilers and GC; for the bench's own JVM, the
 * members' stream readers (MLS processing of every message), the committers and the HTTP client.
 * It says where CPU goes, not where time waits.
 */
final class ThreadCpu {

    private final long pid;
    private final long atNanos;
    private final Map<Long, Long> jiffies;
    private final Map<Long, String> names;

    private ThreadCpu(long pid, long atNanos, Map<Long, Long> jiffies, Map<Long, String> names) {
        this.pid = pid;
        this.atNanos = atNanos;
        this.jiffies = jiffies;
        this.names = names;
    }

    static ThreadCpu of(long pid) {
        Map<Long, Long> jiffies = new HashMap<>();
        Map<Long, String> names = new HashMap<>();
        long at = System.nanoTime();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    long tid = Long.parseLong(task.getFileName().toString());
                    jiffies.put(tid, Long.parseLong(fields[11]) + Long.parseLong(fields[12]));
                    names.put(tid, stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')));
                } catch (IOException | RuntimeException gone) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException e) {
            // the process is gone: nothing to say
        }
        return new ThreadCpu(pid, at, jiffies, names);
    }

    /** {@code tail (group log) 0.31, event loops 0.12, …} in cores, largest first; groups under 0.01 left out. */
    String since(ThreadCpu start) {
        double seconds = (atNanos - start.atNanos) / 1e9;
        if (seconds <= 0 || pid != start.pid) {
            return "?";
        }
        // Linux reports task times in clock ticks of 1/100 s on every platform Parley runs on.
        double ticksPerSecond = 100;
        Map<String, Long> groups = new HashMap<>();
        jiffies.forEach((tid, used) -> {
            long delta = used - start.jiffies.getOrDefault(tid, 0L);
            if (delta > 0) {
                groups.merge(group(names.getOrDefault(tid, "?")), delta, Long::sum);
            }
        });
        Map<String, Double> cores = new LinkedHashMap<>();
        groups.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue(), a.getValue()))
                .forEach(g -> cores.put(g.getKey(), g.getValue() / ticksPerSecond / seconds));
        StringBuilder text = new StringBuilder();
        cores.forEach((group, used) -> {
            if (used >= 0.01) {
                text.append(text.length() == 0 ? "" : ", ").append(String.format("%s %.2f", group, used));
            }
        });
        return text.length() == 0 ? "none" : text.toString();
    }

    /** Thread names as the kernel keeps them (15 characters) to what they do. */
    private static String group(String name) {
        if (name.startsWith("tail-parley.gro")) {
            return "group-log thread (apply + stream delivery)";
        }
        if (name.startsWith("vert.x-eventloo")) {
            return "event loops";
        }
        if (name.startsWith("executor-thread")) {
            return "request workers";
        }
        if (name.startsWith("kafka-") || name.startsWith("smallrye-kafka")) {
            return "Kafka clients";
        }
        if (name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre")) {
            return "JIT";
        }
        if (name.startsWith("GC Thread") || name.startsWith("G1 ")) {
            return "GC";
        }
        if (name.startsWith("kd-stream-")) {
            return "member streams (MLS processing)";
        }
        if (name.startsWith("call-keys-")) {
            return "members' rank timers (own commits)";
        }
        if (name.startsWith("HttpClient-")) {
            return "HTTP client";
        }
        if (name.startsWith("pool-")) {
            return "bench workers (committers, joins)";
        }
        return "other";
    }
}
