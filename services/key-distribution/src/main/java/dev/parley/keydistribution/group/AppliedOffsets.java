package dev.parley.keydistribution.group;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * How far this replica's follower has applied each partition of the group log, and who waits
 * for which offset: a submission waits until its own record is applied (by any replica; this
 * one's follower then finds it applied) to read the verdict.
 */
final class AppliedOffsets {

    private record Waiter(long offset, CompletableFuture<Void> applied) {
    }

    private final Map<Integer, Long> applied = new HashMap<>();
    private final Map<Integer, List<Waiter>> waiting = new HashMap<>();

    /** Completes once {@code offset} of {@code partition} has been applied here. */
    synchronized CompletableFuture<Void> when(int partition, long offset) {
        if (applied.getOrDefault(partition, -1L) >= offset) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> future = new CompletableFuture<>();
        waiting.computeIfAbsent(partition, p -> new ArrayList<>()).add(new Waiter(offset, future));
        return future;
    }

    void applied(int partition, long offset) {
        List<Waiter> done = new ArrayList<>();
        synchronized (this) {
            applied.merge(partition, offset, Math::max);
            List<Waiter> waiters = waiting.get(partition);
            if (waiters != null) {
                waiters.removeIf(waiter -> waiter.offset() <= offset && done.add(waiter));
            }
        }
        done.forEach(waiter -> waiter.applied().complete(null));
    }

    synchronized void forget(int partition, CompletableFuture<Void> future) {
        List<Waiter> waiters = waiting.get(partition);
        if (waiters != null) {
            waiters.removeIf(waiter -> waiter.applied() == future);
        }
    }
}
