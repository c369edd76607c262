package dev.parley.bench.common;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One running replica, started by {@link Replicas}: where it listens and logs, and what the
 * benches read from it ({@code /q/metrics}, {@code /proc}, its log, a forced GC) to put figures
 * next to the load they made.
 */
public final class Replica {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String service;
    private final int index;
    private final int port;
    private final Path log;
    private final Process process;

    Replica(String service, int index, int port, Path log, Process process) {
        this.service = service;
        this.index = index;
        this.port = port;
        this.log = log;
        this.process = process;
    }

    public int index() {
        return index;
    }

    public int port() {
        return port;
    }

    public Path log() {
        return log;
    }

    /** {@code http://127.0.0.1:<port>}; the replica listens on every address, so 127.0.0.2 … reach it too. */
    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public long pid() {
        return process.pid();
    }

    /** Waits until {@code /q/health/ready} answers 200; fails at once if the process has exited. */
    void awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(service + " replica " + index + " exited; see " + log);
            }
            if (status("/q/health/ready") == 200) {
                return;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException(service + " replica " + index + " not ready after " + timeout + "; see " + log);
    }

    /** A full garbage collection in the replica ({@code jcmd <pid> GC.run}), so heap use is what is live. */
    public void collectGarbage() throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid()), "GC.run")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException("jcmd " + pid() + " GC.run failed");
        }
    }

    /** Heap in use: the sum of {@code jvm_memory_used_bytes{area="heap"}} over its pools. */
    public long heapUsedBytes() throws IOException, InterruptedException {
        return (long) metricSum("jvm_memory_used_bytes", "area=\"heap\"");
    }

    /** The sum of every series of {@code name} whose labels contain {@code labelFilter} ("" for all). */
    public double metricSum(String name, String labelFilter) throws IOException, InterruptedException {
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
    public long rssBytes() {
        for (String line : procLines("status")) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        throw new IllegalStateException("no VmRSS for " + pid());
    }

    /** The replica's open files, sockets included: each connection costs one. */
    public long openFiles() {
        return openFiles(pid());
    }

    /** The replica's soft limit on open files, which caps its connections. */
    public long openFileLimit() {
        return openFileLimit(pid());
    }

    /** The open files of any process (the bench's own too), from {@code /proc/<pid>/fd}. */
    public static long openFiles(long pid) {
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            return fds.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The soft limit on open files of a process, from {@code /proc/<pid>/limits}. */
    public static long openFileLimit(long pid) {
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
    public long logLinesContaining(String text) {
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

    /** Stops the process (SIGTERM, so it shuts down as in a deployment), killing it if it lingers. */
    void stop() {
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
}
