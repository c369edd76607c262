package dev.parley.bench.presence;

import dev.parley.bench.common.Replica;
import dev.parley.bench.common.Report;
import dev.parley.events.connection.ConnectionEvent;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

/**
 * Presence evaluations per second from signaling's connection events, many distinct users: each
 * {@code opened} of a user with no device makes them {@code online} and each {@code closed}
 * makes them {@code offline}, so every event is one evaluation and one published change. The
 * events are published as fast as the producer goes; the figure is events / time until the
 * replicas (one consumer group, partitions shared) have published that many changes.
 */
record ConnectionBench(BenchConfig config, List<Replica> replicas, Connections connections, Redis redis, Report report) {

    void run() throws Exception {
        report.section("(a) presence updates per replica: call connections of distinct users (Kafka)");
        redis.setWithExpiry("parley:replica:" + Connections.REPLICA, "alive", Duration.ofHours(2).toMillis());
        String run = UUID.randomUUID().toString().substring(0, 8);
        // Warm-up: a few thousand users in and out.
        cycle(IntStream.range(0, 5_000).mapToObj(i -> "bench-warm-" + run + "-" + i).toList(), false);
        List<String> users = IntStream.range(0, config.connectionUsers()).mapToObj(i -> "bench-" + run + "-" + i).toList();
        cycle(users, true);
    }

    private void cycle(List<String> users, boolean measured) throws Exception {
        for (ConnectionEvent.Change change : ConnectionEvent.Change.values()) {
            double before = Rest.changes(replicas);
            long started = System.nanoTime();
            connections.publish(users, change);
            double published = (System.nanoTime() - started) / 1e9;
            double seconds = Connections.awaitChanges(replicas, before, users.size(), started, Duration.ofMinutes(10));
            if (measured) {
                report.line("%,d users %s a connection: produced in %.1f s; all %,d changes published after %.1f s: "
                                + "%,.0f evaluations (= changes)/s in all, %,.0f/s per replica",
                        users.size(), change == ConnectionEvent.Change.OPENED ? "open" : "close", published,
                        users.size(), seconds, users.size() / seconds, users.size() / seconds / replicas.size());
            }
        }
    }
}
