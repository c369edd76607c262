package dev.parley.bench.keydistribution;

import dev.parley.client.kd.CallKeys;

import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;

/**
 * When one member reached each epoch: a thread waits on the member's {@code CallKeys} (woken by
 * every message it processes) and stamps each new epoch with {@code System.nanoTime()}, the clock
 * of the whole bench. An epoch is "reached" once the member has processed the Commit that starts
 * it (or, for the committer, once the service accepted its own); when two arrive between two
 * looks, both get the later stamp.
 */
final class EpochWatch implements AutoCloseable {

    private final CallKeys call;
    private final Map<Long, Long> reached = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile RuntimeException failure;

    EpochWatch(Member member) {
        this.call = member.call();
        this.thread = new Thread(this::watch, "epoch-watch-" + member.participant.value());
        thread.setDaemon(true);
        thread.start();
    }

    private void watch() {
        long seen = call.epoch();
        while (!Thread.currentThread().isInterrupted()) {
            long from = seen;
            try {
                call.await(() -> call.epoch() != from, Duration.ofSeconds(1));
            } catch (TimeoutException e) {
                continue;
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                failure = e;
                return;
            }
            long now = System.nanoTime();
            long epoch = call.epoch();
            for (long e = from + 1; e <= epoch; e++) {
                reached.putIfAbsent(e, now);
            }
            seen = epoch;
        }
    }

    /** When the member was first seen at {@code epoch} or later. */
    OptionalLong reachedAt(long epoch) {
        Long at = reached.get(epoch);
        return at == null ? OptionalLong.empty() : OptionalLong.of(at);
    }

    /** What stopped the watch: the member's {@code CallKeys} failed. */
    RuntimeException failure() {
        return failure;
    }

    @Override
    public void close() throws InterruptedException {
        thread.interrupt();
        thread.join(5_000);
    }
}
