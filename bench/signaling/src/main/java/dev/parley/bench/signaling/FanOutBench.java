package dev.parley.bench.signaling;

import dev.parley.bench.common.Latencies;
import dev.parley.bench.common.Replica;
import dev.parley.bench.common.Report;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * 2. Fan-out latency: one member of a call sends {@code send} messages at a steady pace; every
 * member, on whichever replica, records the time from send to its {@code payload}.
 */
final class FanOutBench {

    private final BenchConfig config;
    private final List<Replica> replicas;
    private final CallClient client;
    private final RestApi api;
    private final Supplier<String> alice;
    private final Report report;

    FanOutBench(BenchConfig config, List<Replica> replicas, CallClient client, RestApi api, Supplier<String> alice,
                Report report) {
        this.config = config;
        this.replicas = replicas;
        this.client = client;
        this.api = api;
        this.alice = alice;
        this.report = report;
    }

    void run() throws Exception {
        int members = config.fanOutMembers();
        int rounds = config.fanOutRounds();
        int warmup = config.fanOutWarmupRounds();
        int r = replicas.size();
        report.section("2. fan-out latency: 1 sender, " + members + " members over " + r + " replicas");

        String host = alice.get();
        String room = api.createRoom(replicas.get(0).url(), host, "bench fan-out", Math.max(2, members));
        List<String> guests = Members.guestTokens(api, replicas, host, room, members - 1, "Fan-out guest");
        List<BenchSocket> sockets = Members.connectAll(client, members,
                i -> new BenchSocket(i, replicas.get(i % r), client.json, client.unsolicitedErrors),
                i -> i == 0 ? host : guests.get(i - 1), config.destinationAddresses());
        try {
            Members.joinAll(sockets, s -> room);
            int[] perReplica = new int[r];
            sockets.forEach(s -> perReplica[s.replica.index()]++);
            report.line("room %s: alice (host, SSO) and %d guests joined, per replica %s", room, members - 1,
                    java.util.Arrays.toString(perReplica));

            BenchSocket sender = sockets.get(0);
            Latencies others = new Latencies();
            Latencies echo = new Latencies();
            Latencies[] byReplica = new Latencies[r];
            for (int i = 0; i < r; i++) {
                byReplica[i] = new Latencies();
            }
            LongAdder delivered = new LongAdder();
            for (BenchSocket s : sockets) {
                s.onPayload(frame -> {
                    long now = System.nanoTime();
                    if (frame.data() == null || frame.data().length() < 16) {
                        return;
                    }
                    ByteBuffer stamp = ByteBuffer.wrap(Base64.getDecoder().decode(frame.data().substring(0, 16)));
                    long sent = stamp.getLong();
                    int round = stamp.getInt();
                    if (round < warmup) {
                        return;
                    }
                    long latency = now - sent;
                    if (s == sender) {
                        echo.record(latency);
                    } else {
                        others.record(latency);
                        byReplica[s.replica.index()].record(latency);
                    }
                    delivered.increment();
                });
            }
            Thread.sleep(1000); // let the participant-joined events settle

            byte[] payload = new byte[Math.max(16, config.payloadBytes())];
            new Random(42).nextBytes(payload);
            ByteBuffer stamp = ByteBuffer.wrap(payload);
            long interval = config.fanOutIntervalMillis() * 1_000_000L;
            long next = System.nanoTime();
            long started = next;
            for (int round = 0; round < warmup + rounds; round++) {
                next += interval;
                LockSupport.parkNanos(next - System.nanoTime());
                long now = System.nanoTime();
                stamp.putLong(0, now).putInt(8, round);
                sender.send("{\"type\":\"send\",\"id\":\"s" + round + "\",\"kind\":\"mls-application\",\"data\":\""
                        + Base64.getEncoder().encodeToString(payload) + "\"}");
            }
            long expected = (long) rounds * members;
            long deadline = System.nanoTime() + 15_000_000_000L;
            while (delivered.sum() < expected && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            report.line("%d rounds (after %d warm-up rounds), one %d-byte mls-application payload every %d ms (%.0f messages/s in, %.0f deliveries/s out)",
                    rounds, warmup, payload.length, config.fanOutIntervalMillis(), 1000.0 / config.fanOutIntervalMillis(),
                    1000.0 / config.fanOutIntervalMillis() * members);
            report.line("delivered %,d of %,d expected payloads (%.1f s for the whole run)", delivered.sum(), expected, seconds);
            report.line("FAN-OUT LATENCY, send to payload at the %d other members: %s", members - 1, others.summary());
            for (int i = 0; i < r; i++) {
                report.line("  members on replica %d%s: %s", i, i == sender.replica.index() ? " (the sender's)" : "",
                        byReplica[i].summary());
            }
            report.line("  the sender's own echo (ref): %s", echo.summary());
        } finally {
            Members.leaveAndClose(sockets);
        }
    }
}
