package dev.parley.bench.keydistribution;

import dev.parley.bench.common.Latencies;
import dev.parley.bench.common.Replica;
import dev.parley.bench.common.Report;
import dev.parley.client.kd.Wire;
import dev.parley.client.mls.PendingCommit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * How long the service takes to hand one message to every stream of a room, without members'
 * MLS work in the way: a group of two, and {@code streams} bare streams of the room
 * ({@link StreamObserver}: JSON only). The lowest leaf commits {@link #ROUNDS} times; for each
 * Commit, from its verdict (the record is applied and the replica starts delivering) until the
 * first and the last bare stream has it. The replica delivers a room's messages to its streams
 * one after another, so the spread between first and last grows with the streams of the room.
 */
record DeliveryProbe(Replica replica, People people, CallTopic calls, int keyPackages, Report report) {

    private static final int ROUNDS = 20;
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    /** Measures with each of {@code streamCounts} bare streams open (ascending), in one room. */
    void run(int... streamCounts) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<StreamObserver> streams = new ArrayList<>();
        try (Group group = new Group(calls, keyPackages)) {
            group.form(Member.registerAll(people, replica, 2, pool), 1, pool, PATIENCE);
            Member committer = group.lowest();
            for (int count : streamCounts) {
                while (streams.size() < count) {
                    streams.add(new StreamObserver(people.client(people.person(0), replica), group.room));
                }
                measure(committer, streams);
            }
        } finally {
            streams.forEach(StreamObserver::close);
            pool.shutdownNow();
        }
    }

    private void measure(Member committer, List<StreamObserver> streams) throws Exception {
        Latencies first = new Latencies();
        Latencies last = new Latencies();
        long missing = 0;
        for (int round = -3; round < ROUNDS; round++) {
            PendingCommit commit = committer.call().prepareCommit();
            long sent = System.nanoTime();
            Wire.Verdict verdict = committer.call().submit(commit);
            long accepted = System.nanoTime();
            long earliest = Long.MAX_VALUE;
            long latest = Long.MIN_VALUE;
            for (StreamObserver stream : streams) {
                OptionalLong at = stream.await("commit", verdict.epoch() - 1, sent, Duration.ofSeconds(5));
                if (at.isEmpty()) {
                    missing++;
                    continue;
                }
                earliest = Math.min(earliest, at.getAsLong());
                latest = Math.max(latest, at.getAsLong());
            }
            if (round >= 0 && latest != Long.MIN_VALUE) {
                first.record(earliest - accepted);
                last.record(latest - accepted);
            }
            Thread.sleep(50);
        }
        report.line("  one Commit to %d bare streams of a room: verdict -> first stream %s", streams.size(), first.summary());
        report.line("  %s verdict -> last stream %s%s", " ".repeat(Integer.toString(streams.size()).length() + 31), last.summary(),
                missing == 0 ? "" : String.format("; %d deliveries missing", missing));
    }
}
