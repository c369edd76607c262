package dev.parley.bench.presence;

import dev.parley.bench.common.Latencies;
import dev.parley.bench.common.Replica;
import dev.parley.bench.common.Report;
import dev.parley.testing.DemoUser;
import dev.parley.testing.Keycloak;

import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Subscription fan-out: N subscribers spread over the replicas follow one user (dave); the bench
 * flips dave's one heartbeat device between {@code online} and {@code away} (each flip is a change)
 * on the replicas in turn, and every subscriber stamps the {@code presence} that carries the new
 * status. Latency: from the heartbeat's HTTP response to each subscriber's message, on one clock.
 */
record FanOutBench(BenchConfig config, List<Replica> replicas, Rest rest, Report report) {

    void run() throws Exception {
        report.section("(b) subscription fan-out latency");
        String followed = rest.userId();
        String token = Keycloak.accessToken(DemoUser.CAROL);
        HttpClient http = HttpClient.newHttpClient();
        List<Subscriber> subscribers = new ArrayList<>();
        try {
            for (int i = 0; i < config.subscribers(); i++) {
                Subscriber subscriber = new Subscriber(i, replicas.get(i % replicas.size()), followed);
                subscriber.open(http, token);
                subscribers.add(subscriber);
            }
            report.line("%d subscribers (carol, one connection each) over %d replicas follow dave; dave's one device flips online/away every %d ms, heartbeats to the replicas in turn; %d warm-up flips, %d measured",
                    subscribers.size(), replicas.size(), config.fanOutIntervalMillis(), config.fanOutWarmup(), config.fanOutRounds());
            String device = "bench-fanout-" + UUID.randomUUID().toString().substring(0, 8);
            Latencies all = new Latencies();
            Latencies sameReplica = new Latencies();
            Latencies otherReplica = new Latencies();
            Latencies slowest = new Latencies();
            long early = 0;
            long missing = 0;
            for (int round = 0; round < config.fanOutWarmup() + config.fanOutRounds(); round++) {
                boolean measured = round >= config.fanOutWarmup();
                String status = round % 2 == 0 ? "online" : "away";
                Replica target = replicas.get(round % replicas.size());
                CountDownLatch arrived = new CountDownLatch(subscribers.size());
                for (Subscriber subscriber : subscribers) {
                    subscriber.await(status, arrived::countDown);
                }
                int code = rest.beat(target, device, status);
                long answeredAt = System.nanoTime();
                if (code != 200) {
                    throw new IllegalStateException("heartbeat answered " + code);
                }
                if (!arrived.await(10, TimeUnit.SECONDS)) {
                    missing += arrived.getCount();
                }
                if (measured) {
                    long worst = 0;
                    for (Subscriber subscriber : subscribers) {
                        long at = subscriber.arrivedAt();
                        if (at == 0) {
                            continue;
                        }
                        long latency = at - answeredAt;
                        if (latency < 0) {
                            early++;
                        }
                        all.record(latency);
                        (subscriber.replica == target ? sameReplica : otherReplica).record(latency);
                        worst = Math.max(worst, latency);
                    }
                    slowest.record(worst);
                }
                Thread.sleep(config.fanOutIntervalMillis());
            }
            rest.leave(replicas.get(0), device);
            report.line("heartbeat response -> presence at each subscriber: %s", all.summary());
            report.line("  subscribers on the replica that took the heartbeat: %s", sameReplica.summary());
            report.line("  subscribers on another replica: %s", otherReplica.summary());
            report.line("  last of the %d subscribers per flip: %s", subscribers.size(), slowest.summary());
            report.line("  deliveries before the HTTP response was read (counted as 0): %,d; missing after 10 s: %,d", early, missing);
            for (Subscriber subscriber : subscribers) {
                if (subscriber.failure != null) {
                    report.line("  subscriber %d: %s", subscriber.index, subscriber.failure);
                    break;
                }
            }
        } finally {
            subscribers.forEach(Subscriber::close);
        }
    }
}
