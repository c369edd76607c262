package dev.parley.bench.signaling;

import dev.parley.bench.common.Latencies;
import dev.parley.bench.common.NotMeasured;
import dev.parley.bench.common.Replica;
import dev.parley.bench.common.Report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * 3. Joins per second: connected, authenticated members all send {@code join} at once, spread
 * over the replicas; the rate is answered joins over the time until the last answer.
 */
final class JoinBench {

    private final BenchConfig config;
    private final List<Replica> replicas;
    private final CallClient client;
    private final RestApi api;
    private final Supplier<String> alice;
    private final Report report;

    JoinBench(BenchConfig config, List<Replica> replicas, CallClient client, RestApi api, Supplier<String> alice,
              Report report) {
        this.config = config;
        this.replicas = replicas;
        this.client = client;
        this.api = api;
        this.alice = alice;
        this.report = report;
    }

    void run() throws Exception {
        report.section("3. joins per second, members spread over " + replicas.size() + " replicas");
        for (BenchConfig.JoinScenario scenario : config.joinScenarios()) {
            run(scenario);
        }
    }

    private void run(BenchConfig.JoinScenario scenario) throws Exception {
        int r = replicas.size();
        String host = alice.get();
        List<String> rooms = new ArrayList<>();
        List<String> tokens = new ArrayList<>();
        long setup = System.nanoTime();
        for (int k = 0; k < scenario.rooms(); k++) {
            String room = api.createRoom(replicas.get(k % r).url(), host, "bench joins " + k, Math.max(2, scenario.members()));
            rooms.add(room);
            tokens.addAll(Members.guestTokens(api, replicas, host, room, scenario.members(), "Joiner " + k));
        }
        System.out.printf("[bench] %s: rooms created and %,d guest tokens redeemed in %.1f s%n",
                scenario, tokens.size(), (System.nanoTime() - setup) / 1e9);
        int total = scenario.total();
        List<BenchSocket> sockets = Members.connectAll(client, total,
                i -> new BenchSocket(i, replicas.get(i % r), client.json, client.unsolicitedErrors),
                tokens::get, config.destinationAddresses());
        try {
            Thread.sleep(1000);
            Latencies latency = new Latencies();
            Map<String, LongAdder> outcomes = new ConcurrentHashMap<>();
            AtomicLong lastAnswer = new AtomicLong();
            AtomicInteger largestRoster = new AtomicInteger();
            LongAdder retries = new LongAdder();
            LongAdder retried = new LongAdder();
            List<CompletableFuture<Members.JoinResult>> answers = new ArrayList<>(total);
            Semaphore inFlight = new Semaphore(scenario.inFlight() > 0 ? scenario.inFlight() : total);
            long start = System.nanoTime();
            for (BenchSocket s : sockets) {
                String room = rooms.get(s.index / scenario.members());
                inFlight.acquire();
                s.sentNanos = System.nanoTime();
                answers.add(Members.join(s, room).whenComplete((result, failure) -> {
                    inFlight.release();
                    long now = System.nanoTime();
                    if (failure != null) {
                        outcomes.computeIfAbsent("failed: " + failure.getMessage(), k -> new LongAdder()).increment();
                        return;
                    }
                    if (result.attempts() > 1) {
                        retried.increment();
                        retries.add(result.attempts() - 1);
                    }
                    Frame frame = result.answer();
                    outcomes.computeIfAbsent(frame.outcome(), k -> new LongAdder()).increment();
                    if (frame.is("joined")) {
                        s.participantId = frame.participantId();
                        latency.record(now - s.sentNanos);
                        lastAnswer.accumulateAndGet(now, Math::max);
                        largestRoster.accumulateAndGet(frame.rosterSize(), Math::max);
                    }
                }));
            }
            long allSent = System.nanoTime();
            try {
                CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).get(180, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                long missing = answers.stream().filter(a -> !a.isDone()).count();
                outcomes.computeIfAbsent("no answer within 180 s", k -> new LongAdder()).add(missing);
            } catch (java.util.concurrent.ExecutionException e) {
                // counted in outcomes
            }
            Map<String, Long> counted = new TreeMap<>();
            outcomes.forEach((k, v) -> counted.put(k, v.sum()));
            if (counted.containsKey("error unknown-type")) {
                throw new NotMeasured("the replicas answer join with unknown-type: join is not implemented in this build");
            }
            long joined = counted.getOrDefault("joined", 0L);
            double seconds = (lastAnswer.get() - start) / 1e9;
            report.line("%s: JOINS PER SECOND %,.0f (%,d of %,d joined in %.2f s%s); join latency %s",
                    scenario, joined / seconds, joined, total, seconds,
                    scenario.inFlight() > 0 ? "" : String.format(", every first join sent within %.0f ms", (allSent - start) / 1e6),
                    latency.summary());
            report.line("  final answers: %s; %,d members retried after 'unavailable' (%,d retries in all); largest roster in a joined: %d",
                    counted, retried.sum(), retries.sum(), largestRoster.get());
        } finally {
            Members.leaveAndClose(sockets);
            Thread.sleep(2000);
        }
    }
}
