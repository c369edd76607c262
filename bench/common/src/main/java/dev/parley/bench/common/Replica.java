package dev.parley.bench.signaling;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One signaling replica: the packaged jar as a JVM of its own, configured through environment
 * variables as in a deployment (the way the system tests' {@code ServiceProcess} starts it),
 * logging JSON to a file.
 */
final class Replica implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final java.util.concurrent.atomic.AtomicInteger LAUNCHES = new java.util.concurrent.atomic.AtomicInteger();

    final int index;
    final int port;
    final Path log;
    final List<String> jvmFlags;
    private final Process process;

    private Replica(int index, int port, Path log, List<String> jvmFlags, Process process) {
        this.index = index;
        this.port = port;
        this.log = log;
        this.jvmFlags = jvmFlags;
        this.process = process;
    }

    /**
     * Starts {@code services/signaling/target/quarkus-app/quarkus-run.jar} on {@code port} (or on a
     * free port when that one is taken). The HTTP server listens on every address, as the service
     * does by default, so clients can reach it on 127.0.0.1, 127.0.0.2, …
     */
    static Replica start(Path repository, int index, int port, String heap, Map<String, String> environment,
                         Path logs) throws IOException {
        Path jar = repository.resolve("services/signaling/target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build first (mvn -B -DskipTests install)");
        }
        int chosen = isFree(port) ? port : freePort();
        Files.createDirectories(logs);
        // One log per launch: a restarted replica does not overwrite the story of the first.
        Path log = logs.resolve("signaling-" + index + "-launch" + LAUNCHES.incrementAndGet() + ".log");
        List<String> flags = List.of("-Xmx" + heap, "-XX:+UseG1GC");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(flags);
        command.add("-jar");
        command.add(jar.toString());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        builder.environment().put("QUARKUS_HTTP_PORT", Integer.toString(chosen));
        builder.environment().put("QUARKUS_HTTP_HOST", "0.0.0.0");
        return new Replica(index, chosen, log, flags, builder.start());
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    void awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("signaling replica " + index + " exited; see " + log);
            }
            if (status("/q/health/ready") == 200) {
                return;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("signaling replica " + index + " not ready after " + timeout + "; see " + log);
    }

    /** A full garbage collection in the replica ({@code jcmd <pid> GC.run}), so heap use is what is live. */
    void collectGarbage() throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid()), "GC.run")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException("jcmd " + pid() + " GC.run failed");
        }
    }

    /** Heap in use: the sum of {@code jvm_memory_used_bytes{area="heap"}} over its pools. */
    long heapUsedBytes() throws IOException, InterruptedException {
        return (long) metricSum("jvm_memory_used_bytes", "area=\"heap\"");
    }

    /** The sum of every series of {@code name} whose labels contain {@code labelFilter} ("" for all). */
    double metricSum(String name, String labelFilter) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url() + "/q/metrics"))
                .timeout(Duration.ofSeconds(20)).GET().build();
        HttpResponse<Stream<String>> response = HTTP.send(request, HttpResponse.BodyHandlers.ofLines());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("/q/metrics of replica " + index + " answered " + response.statusCode());
        }
        double sum = 0;
        boolean found = false;
        try (Stream<String> lines = response.body()) {
            for (String line : (Iterable<String>) lines::iterator) {
                if (line.startsWith(name) && (line.length() == name.length()
                        || line.charAt(name.length()) == '{' || line.charAt(name.length()) == ' ')
                        && line.contains(labelFilter)) {
                    sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                    found = true;
                }
            }
        }
        if (!found) {
            throw new IllegalStateException("replica " + index + " publishes no " + name + " {" + labelFilter + "}");
        }
        return sum;
    }

    /** Resident set size from {@code /proc/<pid>/status}. */
    long rssBytes() {
        for (String line : procLines("status")) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        throw new IllegalStateException("no VmRSS for " + pid());
    }

    long openFiles() {
        return openFiles(pid());
    }

    long openFileLimit() {
        return openFileLimit(pid());
    }

    static long openFiles(long pid) {
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            return fds.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The soft limit on open files of a process, from {@code /proc/<pid>/limits}. */
    static long openFileLimit(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "limits"))) {
                if (line.startsWith("Max open files")) {
                    String[] words = line.substring("Max open files".length()).trim().split("\\s+");
                    return "unlimited".equals(words[0]) ? Long.MAX_VALUE : Long.parseLong(words[0]);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException("no open-file limit for " + pid);
    }

    /** How many lines of the replica's log contain {@code text}. */
    long logLinesContaining(String text) {
        try (Stream<String> lines = Files.lines(log)) {
            return lines.filter(l -> l.contains(text)).count();
        } catch (IOException | UncheckedIOException e) {
            return -1;
        }
    }

    private List<String> procLines(String file) {
        try {
            return Files.readAllLines(Path.of("/proc", Long.toString(pid()), file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private int status(String path) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(url() + path))
                    .timeout(Duration.ofSeconds(5)).GET().build();
            return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress("0.0.0.0", port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
