package dev.parley.bench.presence;

import dev.parley.bench.common.Latencies;
import dev.parley.bench.common.Replica;
import dev.parley.bench.common.Report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * Presence evaluations per second from device heartbeats: every {@code PUT} (and {@code DELETE})
 * re-evaluates the user in one Lua script and publishes the result when it changed. Two loads,
 * spread evenly over the replicas: steady heartbeats of many devices (nothing changes), and
 * devices coming and going (nearly every request changes the user's presence).
 */
record HeartbeatBench(BenchConfig config, List<Replica> replicas, Rest rest, Report report) {

    /** One worker's loop body: the request it makes on its {@code n}th turn; returns the HTTP status. */
    interface Step {
        int run(int worker, long n, Replica replica) throws Exception;
    }

    void run() throws Exception {
        report.section("(a) presence updates per replica: heartbeats over REST");
        report.line("one user (dave, a real Keycloak token), %d clients in parallel, requests spread round-robin over %d replicas, %d s per load",
                config.heartbeatConcurrency(), replicas.size(), config.heartbeatSeconds());
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<String> devices = new ArrayList<>();
        for (int i = 0; i < config.heartbeatDevices(); i++) {
            devices.add("bench-" + run + "-" + i);
        }
        // Warm-up: every device beats once, then a few seconds of load unmeasured.
        for (String device : devices) {
            rest.beat(replicas.get(0), device, "online");
        }
        load("warm-up", 5, (worker, n, replica) ->
                rest.beat(replica, devices.get((int) ((worker + n * config.heartbeatConcurrency()) % devices.size())), "online"), false);

        load("steady: " + devices.size() + " devices re-beating 'online' (no change)", config.heartbeatSeconds(),
                (worker, n, replica) -> rest.beat(replica,
                        devices.get((int) ((worker + n * config.heartbeatConcurrency()) % devices.size())), "online"), true);
        for (String device : devices) {
            rest.leave(replicas.get(0), device);
        }

        load("churn: each client's own device alternately PUT 'online' and DELETEd (each request changes the device count; concurrent evaluations of the one user coalesce)",
                config.heartbeatSeconds(), (worker, n, replica) -> {
                    String device = "bench-" + run + "-churn-" + worker;
                    return n % 2 == 0 ? rest.beat(replica, device, "online") : rest.leave(replica, device);
                }, true);
        for (int worker = 0; worker < config.heartbeatConcurrency(); worker++) {
            rest.leave(replicas.get(0), "bench-" + run + "-churn-" + worker);
        }
    }

    private void load(String name, int seconds, Step step, boolean measured) throws Exception {
        int concurrency = config.heartbeatConcurrency();
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        AtomicBoolean running = new AtomicBoolean(true);
        LongAdder[] answered = new LongAdder[replicas.size()];
        for (int i = 0; i < answered.length; i++) {
            answered[i] = new LongAdder();
        }
        LongAdder failed = new LongAdder();
        Map<String, LongAdder> failures = new ConcurrentHashMap<>();
        Latencies latencies = new Latencies();
        double changesBefore = Rest.changes(replicas);
        long started = System.nanoTime();
        List<Future<?>> workers = new ArrayList<>();
        for (int w = 0; w < concurrency; w++) {
            int worker = w;
            workers.add(pool.submit(() -> {
                long n = 0;
                while (running.get()) {
                    int index = (int) ((worker + n) % replicas.size());
                    long sent = System.nanoTime();
                    try {
                        int status = step.run(worker, n, replicas.get(index));
                        if (status / 100 == 2) {
                            answered[index].increment();
                            latencies.record(System.nanoTime() - sent);
                        } else {
                            failed.increment();
                            failures.computeIfAbsent("HTTP " + status, k -> new LongAdder()).increment();
                        }
                    } catch (Exception e) {
                        failed.increment();
                        failures.computeIfAbsent(e.getClass().getSimpleName() + ": " + e.getMessage(), k -> new LongAdder()).increment();
                    }
                    n++;
                }
                return null;
            }));
        }
        Thread.sleep(seconds * 1000L);
        running.set(false);
        for (Future<?> worker : workers) {
            worker.get(30, TimeUnit.SECONDS);
        }
        double elapsed = (System.nanoTime() - started) / 1e9;
        pool.shutdown();
        // Changes are counted when published; give the last answers a moment to be counted.
        Thread.sleep(500);
        double changes = Rest.changes(replicas) - changesBefore;
        if (!measured) {
            return;
        }
        long total = 0;
        StringBuilder perReplica = new StringBuilder();
        for (int i = 0; i < answered.length; i++) {
            total += answered[i].sum();
            perReplica.append(String.format("%sreplica %d: %,.0f/s", i == 0 ? "" : ", ", i, answered[i].sum() / elapsed));
        }
        report.line("%s", name);
        report.line("  evaluations (answered requests): %,.0f/s in all, %,.0f/s per replica (%s); %,d failed",
                total / elapsed, total / elapsed / replicas.size(), perReplica, failed.sum());
        report.line("  published changes (parley_presence_changes_total): %,.0f/s in all, %,.0f/s per replica",
                changes / elapsed, changes / elapsed / replicas.size());
        report.line("  request latency: %s", latencies.summary());
        if (!failures.isEmpty()) {
            Map<String, Long> why = new TreeMap<>();
            failures.forEach((k, v) -> why.put(k, v.sum()));
            report.line("  failures: %s", why);
        }
    }
}
