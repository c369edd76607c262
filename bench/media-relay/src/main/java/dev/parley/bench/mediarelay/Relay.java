package dev.parley.bench.mediarelay;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Parley's relay under load, started by the bench or already running: its HTTP address, its
 * process when known ({@link SfuProcess}), and its Prometheus counters.
 */
record Relay(URI url, long pid) {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    boolean hasProcess() {
        return pid > 0;
    }

    SfuProcess process() {
        return new SfuProcess(pid);
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

    /**
     * The histogram {@code name} (without {@code _bucket}) on {@code /q/metrics}, its buckets in
     * order of their bounds; {@link DelayHistogram#EMPTY} when the relay has none.
     */
    DelayHistogram histogram(String name) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(url.resolve("/q/metrics")).timeout(Duration.ofSeconds(20)).GET().build();
        HttpResponse<Stream<String>> response = HTTP.send(request, HttpResponse.BodyHandlers.ofLines());
        if (response.statusCode() != 200) {
            throw new IOException("/q/metrics answered " + response.statusCode());
        }
        Pattern bucket = Pattern.compile("^" + Pattern.quote(name + "_bucket{") + ".*le=\"([^\"]+)\".*\\}\\s+(\\S+)$");
        TreeMap<Double, Double> counts = new TreeMap<>();
        try (Stream<String> lines = response.body()) {
            lines.map(bucket::matcher).filter(Matcher::matches).forEach(m -> counts.merge(
                    m.group(1).equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(m.group(1)),
                    Double.parseDouble(m.group(2)), Double::sum));
        }
        return new DelayHistogram(counts.keySet().stream().mapToDouble(Double::doubleValue).toArray(),
                counts.values().stream().mapToDouble(Double::doubleValue).toArray());
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
