package dev.parley.bench.signaling;

import dev.parley.bench.common.Replica;
import dev.parley.bench.common.Report;

import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * 1. How many authenticated idle connections one replica holds, and what each costs in heap and
 * in resident memory.
 */
final class ConnectionBench {

    /** Open files a process keeps for everything but the bench's sockets (jars, Kafka, Redis, probes, jcmd). */
    private static final int SERVER_FD_HEADROOM = 150;
    private static final int CLIENT_FD_HEADROOM = 100;
    /**
     * Longer than the hello deadline (10 s): the server's hello timer of every connection has fired
     * and let go of it before memory is measured.
     */
    private static final long SETTLE_MILLIS = 11_000;

    private final BenchConfig config;
    private final Replica replica;
    private final CallClient client;
    private final Supplier<String> token;
    private final Report report;

    ConnectionBench(BenchConfig config, Replica replica, CallClient client, Supplier<String> token, Report report) {
        this.config = config;
        this.replica = replica;
        this.client = client;
        this.token = token;
        this.report = report;
    }

    void run() throws Exception {
        report.section("1. idle connections on one replica (replica " + replica.index() + ", -Xmx" + config.run().replicaHeap() + ")");
        report.line("each connection: WebSocket upgrade, hello with alice's Keycloak access token, welcome; then idle");

        // Warm up: classes loaded, JIT compiled, pools allocated before the baseline.
        CallClient.Opened warm = open(500, config.connectConcurrency(), 20, Duration.ofSeconds(15), null);
        CallClient.closeAll(warm.sockets());
        awaitServerConnections(0, Duration.ofSeconds(30));
        Thread.sleep(SETTLE_MILLIS);

        Memory baseline = measure();
        long serverFds = replica.openFiles();
        long serverLimit = replica.openFileLimit();
        long self = ProcessHandle.current().pid();
        long clientFds = Replica.openFiles(self);
        long clientLimit = Replica.openFileLimit(self);
        long serverRoom = serverLimit - serverFds - SERVER_FD_HEADROOM;
        long clientRoom = clientLimit - clientFds - CLIENT_FD_HEADROOM;
        int target = (int) Math.min(config.connections(), Math.min(serverRoom, clientRoom));
        report.line("baseline after warm-up and full GC: heap %s, RSS %s, replica open files %,d",
                Report.mib(baseline.heap), Report.mib(baseline.rss), serverFds);
        report.line("open-file limits: replica %,d, bench client %,d (ephemeral ports %s, spread over %d destination addresses)",
                serverLimit, clientLimit, ephemeralPorts(), config.destinationAddresses());
        if (target < config.connections()) {
            report.line("target %,d capped at %,d: one socket is one open file, and the %s open-file limit leaves room for %,d",
                    config.connections(), target, serverRoom <= clientRoom ? "replica's" : "client's",
                    Math.min(serverRoom, clientRoom));
        }

        CallClient.Opened opened = open(target, config.connectConcurrency(), 50, Duration.ofSeconds(30), "idle connections");
        int n = opened.sockets().size();
        report.line("reached %,d authenticated idle connections on one replica (%,d failed) in %.1f s: %,.0f hello/welcome handshakes per second",
                n, opened.failures(), opened.nanos() / 1e9, n / (opened.nanos() / 1e9));
        if (!opened.firstFailures().isEmpty()) {
            report.line("first failures: %s", opened.firstFailures());
        }
        Thread.sleep(SETTLE_MILLIS);
        report.line("replica's own count (parley_call_connections): %,.0f; replica open files now %,d",
                serverConnections(), replica.openFiles());

        Memory loaded = measure();
        report.line("after full GC with %,d open: heap %s, RSS %s", n, Report.mib(loaded.heap), Report.mib(loaded.rss));
        report.line("MEMORY PER IDLE CONNECTION: heap %s, RSS %s (deltas over the baseline / %,d)",
                Report.kib((loaded.heap - baseline.heap) / (double) n), Report.kib((loaded.rss - baseline.rss) / (double) n), n);
        try {
            if (config.probePastLimit() && n < config.connections()) {
                probePastLimit(n);
            }
        } finally {
            CallClient.closeAll(opened.sockets());
        }
        awaitServerConnections(0, Duration.ofSeconds(60));
        Thread.sleep(SETTLE_MILLIS);
        Memory after = measure();
        report.line("after closing them all and a full GC: heap %s (baseline %s), RSS %s",
                Report.mib(after.heap), Report.mib(baseline.heap), Report.mib(after.rss));
    }

    /**
     * Keeps opening until connections fail, to show what stops them. A few files are held in
     * reserve meanwhile: when the bench itself runs out of files it still needs some to look at
     * its own and the replica's open files afterwards.
     */
    private void probePastLimit(int held) throws Exception {
        int attempts = Math.min(config.connections() - held, 1500);
        long logged = replica.logLinesContaining("Too many open files");
        List<FileChannel> reserve = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            reserve.add(FileChannel.open(Path.of("/dev/null"), StandardOpenOption.READ));
        }
        CallClient.Opened extra;
        try {
            extra = open(attempts, 50, 20, Duration.ofSeconds(5), null);
        } finally {
            for (FileChannel file : reserve) {
                file.close();
            }
        }
        int reached = held + extra.sockets().size();
        report.line("probe past the cap: %,d more opened (%,d in all), then %,d failed; first failure: %s",
                extra.sockets().size(), reached, extra.failures(),
                extra.firstFailures().isEmpty() ? "none" : extra.firstFailures().get(0));
        long self = ProcessHandle.current().pid();
        report.line("  then: replica open files %s of %,d, bench client open files %s of %,d (%d held in reserve released); "
                        + "replica log lines with 'Too many open files' since: %,d",
                openFilesOrUnknown(replica.pid()), replica.openFileLimit(), openFilesOrUnknown(self),
                Replica.openFileLimit(self), reserve.size(),
                Math.max(0, replica.logLinesContaining("Too many open files") - Math.max(0, logged)));
        CallClient.closeAll(extra.sockets());
    }

    private static String openFilesOrUnknown(long pid) {
        try {
            return String.format("%,d", Replica.openFiles(pid));
        } catch (RuntimeException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    private CallClient.Opened open(int count, int concurrency, int maxFailures, Duration timeout, String progress)
            throws InterruptedException {
        return client.openMany(count, i -> new BenchSocket(i, replica, client.json, client.unsolicitedErrors),
                i -> token.get(), config.destinationAddresses(), concurrency, maxFailures, timeout, progress);
    }

    private record Memory(long heap, long rss) {
    }

    private Memory measure() throws Exception {
        replica.collectGarbage();
        Thread.sleep(300);
        replica.collectGarbage();
        Thread.sleep(300);
        return new Memory(replica.heapUsedBytes(), replica.rssBytes());
    }

    private double serverConnections() {
        try {
            return replica.metricSum("parley_call_connections", "");
        } catch (Exception e) {
            return Double.NaN;
        }
    }

    private void awaitServerConnections(int expected, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            double now = serverConnections();
            if (Double.isNaN(now) || now <= expected) {
                return;
            }
            Thread.sleep(250);
        }
    }

    private static String ephemeralPorts() {
        try {
            String[] range = java.nio.file.Files.readAllLines(
                    java.nio.file.Path.of("/proc/sys/net/ipv4/ip_local_port_range")).get(0).trim().split("\\s+");
            return range[0] + "-" + range[1];
        } catch (Exception e) {
            return "unknown";
        }
    }
}
