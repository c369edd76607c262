package dev.parley.bench.keydistribution;

import dev.parley.bench.common.Latencies;
import dev.parley.client.kd.KeyDistributionException;
import dev.parley.client.kd.Wire;
import dev.parley.client.mls.MlsException;
import dev.parley.client.mls.PendingCommit;
import dev.parley.events.room.RoomId;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeoutException;

/**
 * One member making empty Commits back to back: each an UpdatePath and no proposals (a key
 * update, the smallest Commit a member can make), prepared by the client library
 * ({@code CallKeys.prepareCommit}) and submitted ({@code CallKeys.submit}) as soon as the service
 * accepted the previous one. Submit latency is the POST until the verdict: the service checks the
 * message, appends it to the group log (acks=all), waits until it has been applied and answers.
 *
 * <p>A refused Commit is normal only when another won the epoch; then the member processes the
 * winner from its stream and commits again. So after any refusal the committer waits (up to
 * {@link #CATCH_UP}) until its member has reached the group's epoch as the service reports it;
 * a member that does not (its {@code CallKeys} failed, or it discarded a Commit the service had
 * in fact accepted) is out of step for good, and this committer stops rather than send Commits
 * for an epoch that is over.
 */
final class Committer {

    /** Told of each accepted Commit: the epoch it started, when it was sent and when the verdict came (nanoTime). */
    @FunctionalInterface
    interface Accepted {
        void accepted(long epoch, long sent, long answered);
    }

    private static final Duration CATCH_UP = Duration.ofSeconds(3);

    private final Member member;
    private final RoomId room;
    private long accepted;
    private final Map<String, Long> refused = new TreeMap<>();
    private String outOfStep;

    Committer(Member member, RoomId room) {
        this.member = member;
        this.room = room;
    }

    /**
     * Commits until {@code deadline} (nanoTime), or until the member is out of step; records each
     * accepted submission's latency, and tells {@code onAccepted} (null to ignore).
     */
    void commitUntil(long deadline, Latencies prepare, Latencies submit, Accepted onAccepted) throws Exception {
        while (System.nanoTime() < deadline && outOfStep == null) {
            long preparing = System.nanoTime();
            PendingCommit commit = member.call().prepareCommit();
            long sent = System.nanoTime();
            try {
                Wire.Verdict verdict = member.call().submit(commit);
                long answered = System.nanoTime();
                prepare.record(sent - preparing);
                submit.record(answered - sent);
                accepted++;
                if (onAccepted != null) {
                    onAccepted.accepted(verdict.epoch(), sent, answered);
                }
            } catch (KeyDistributionException e) {
                refused.merge(e.status() + " " + e.problem(), 1L, Long::sum);
                catchUp(e);
            }
        }
    }

    private void catchUp(KeyDistributionException refusal) throws InterruptedException {
        long epoch = member.client().group(room.value()).epoch();
        try {
            member.call().await(() -> member.call().epoch() >= epoch, CATCH_UP);
        } catch (TimeoutException e) {
            outOfStep = String.format("after a refusal (%d %s) its member stayed at epoch %d while the group is at %d",
                    refusal.status(), refusal.problem(), member.epoch(), epoch);
        } catch (RuntimeException e) {
            outOfStep = "after a refusal (" + refusal.status() + " " + refusal.problem() + ") its member failed: " + e.getMessage();
        }
    }

    /** Forgets what was counted so far (after a warm-up). */
    void resetCounts() {
        accepted = 0;
        refused.clear();
    }

    long accepted() {
        return accepted;
    }

    long refusedCount() {
        return refused.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Refusals by status and problem type; empty when none. */
    Map<String, Long> refused() {
        return refused;
    }

    /** Why this committer stopped early; null while it is in step. */
    String outOfStep() {
        return outOfStep;
    }
}
