package dev.parley.bench.mediarelay;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

/**
 * The relay under load, started by the bench or already running: its HTTP address, and, when its
 * process id is known, what {@code /proc} says about it (CPU time, resident memory).
 */
record Relay(URI url, long pid) {

    /** Clock ticks per second of {@code /proc/<pid>/stat} times: 100 on Linux (USER_HZ). */
    private static final double TICKS_PER_SECOND = 100;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    boolean hasProcess() {
        return pid > 0;
    }

    /** CPU seconds the process has used, user and system ({@code /proc/<pid>/stat} fields 14 and 15). */
    double cpuSeconds() throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS_PER_SECOND;
    }

    /** Resident set size from {@code /proc/<pid>/status}. */
    long rssBytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        throw new IOException("no VmRSS for " + pid);
    }

    /** The sum of every series of {@code name} on {@code /q/metrics} whose labels contain {@code filter}. */
    double metric(String name, String filter) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(url.resolve("/q/metrics")).timeout(Duration.ofSeconds(20)).GET().build();
        HttpResponse<Stream<String>> response = HTTP.send(request, HttpResponse.BodyHandlers.ofLines());
        if (response.statusCode() != 200) {
            throw new IOException("/q/metrics answered " + response.statusCode());
        }
        try (Stream<String> lines = response.body()) {
            return lines.filter(l -> l.startsWith(name + "{") || l.startsWith(name + " "))
                    .filter(l -> l.contains(filter))
                    .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
        }
    }

    /** SRTP packets forwarded so far, one per subscriber copy ({@code parley_media_forwarded_packets_total}). */
    double forwardedPackets() throws IOException, InterruptedException {
        return metric("parley_media_forwarded_packets_total", "");
    }

    /** Heap in use ({@code jvm_memory_used_bytes{area="heap"}}). */
    double heapUsedBytes() throws IOException, InterruptedException {
        return metric("jvm_memory_used_bytes", "area=\"heap\"");
    }

    /** Datagrams the relay dropped, all reasons ({@code parley_media_dropped_packets_total}). */
    double droppedPackets() throws IOException, InterruptedException {
        return metric("parley_media_dropped_packets_total", "");
    }
}
