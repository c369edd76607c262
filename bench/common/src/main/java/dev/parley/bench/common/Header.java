package dev.parley.bench.common;

import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The opening lines of every results file: when, on which machine, from which commit, on which
 * JVM and with which replica settings; figures compared across runs mean little without them.
 */
public final class Header {

    private Header() {
    }

    /** {@code Parley <service> benchmark, <UTC time>}, then the machine. */
    static void opening(Report report, String service) {
        report.line("Parley %s benchmark, %s", service, ZonedDateTime.now(ZoneOffset.UTC)
                .format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")));
        report.line("machine: %s", Machine.describe());
    }

    /**
     * {@code <service> built from commit <abbreviated hash>}, saying so when the sources the
     * replicas' jar is built from had uncommitted changes (then the commit alone does not say
     * what ran).
     */
    public static void commit(Report report, String service, Path buildRoot) {
        report.line("%s built from commit %s%s", service, git(buildRoot, "rev-parse", "--short", "HEAD"),
                git(buildRoot, "status", "--porcelain", "--", "services/" + service + "/src/main", "libs/events/src/main",
                        "libs/runtime/src/main", "libs/media/src/main").isBlank() ? "" : " plus uncommitted changes to its sources");
    }

    /** The bench's JVM, and how many replicas run with which flags. */
    public static void jvm(Report report, String service, RunOptions options) {
        report.line("JVM: %s %s; replicas: %d x %s (quarkus-run.jar), -Xmx%s -XX:+UseG1GC", System.getProperty("java.vm.name"),
                System.getProperty("java.runtime.version"), options.replicas(), service, options.replicaHeap());
    }

    /**
     * Under {@code title}, every variable of the replicas' environment but {@code omitted} (the
     * stack's addresses, stated elsewhere, and secrets): what this run set on purpose.
     */
    public static void environment(Report report, String title, Map<String, String> environment, Set<String> omitted) {
        report.line(title);
        environment.forEach((k, v) -> {
            if (!omitted.contains(k)) {
                report.line("  %s=%s", k, v);
            }
        });
    }

    /** The output of a read-only git command in {@code repository}; {@code ?} when git or the history is not there. */
    public static String git(Path repository, String... args) {
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
}
