package dev.parley.bench.keydistribution;

import dev.parley.bench.common.Latencies;
import dev.parley.client.kd.KeyDistributionException;
import dev.parley.client.kd.Wire;
import dev.parley.client.mls.MlsException;
import dev.parley.client.mls.PendingCommit;

import java.util.Map;
import java.util.TreeMap;

/**
 * One member making empty Commits back to back: each an UpdatePath and no proposals (a key
 * update, the smallest Commit a member can make), prepared by the client library
 * ({@code CallKeys.prepareCommit}) and submitted ({@code CallKeys.submit}) as soon as the service
 * accepted the previous one. Submit latency is the POST until the verdict: the service checks the
 * message, appends it to the group log (acks=all), waits until it has been applied and answers.
 */
final class Committer {

    /** Told of each accepted Commit: the epoch it started, when it was sent and when the verdict came (nanoTime). */
    @FunctionalInterface
    interface Accepted {
        void accepted(long epoch, long sent, long answered);
    }

    private final Member member;
    private long accepted;
    private final Map<String, Long> refused = new TreeMap<>();

    Committer(Member member) {
        this.member = member;
    }

    /**
     * Commits until {@code deadline} (nanoTime); records each accepted submission's latency, and
     * tells {@code onAccepted} (null to ignore).
     */
    void commitUntil(long deadline, Latencies prepare, Latencies submit, Accepted onAccepted) throws MlsException {
        while (System.nanoTime() < deadline) {
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
            }
        }
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
}
