package dev.parley.bench.keydistribution;

import dev.parley.bench.common.CpuUsage;
import dev.parley.bench.common.Latencies;
import dev.parley.bench.common.Replica;
import dev.parley.bench.common.Report;
import dev.parley.testing.LocalStack;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Commits per second in one group: how fast one call's epochs can follow each other. One Commit
 * per epoch is all the service allows, and each goes through the group log in order, so this is
 * the ceiling for one call however many replicas there are. A group of {@code --group-members}
 * forms on one replica; its lowest leaf commits back to back ({@link Committer}) for
 * {@code --group-seconds} after 10 s of warm-up. Figures: accepted Commits per second, submit
 * latency (split where the Commit became readable on the group log, {@link GroupLogTap}), and
 * per Commit the time from its submission until every other member has
 * processed it ({@link EpochWatch}), which includes the stream delivery and each member's MLS work
 * in this JVM; if the members fall behind, that time grows through the run, and the time they
 * need to catch up afterwards says so.
 */
record GroupCommitBench(BenchConfig config, Replica replica, People people, CallTopic calls, Report report) {

    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final Duration WARM_UP = Duration.ofSeconds(10);

    void run() throws Exception {
        report.section("(1) commits per second in one group, one replica");
        ExecutorService pool = Executors.newFixedThreadPool(config.setupConcurrency());
        List<EpochWatch> watches = new ArrayList<>();
        Group group = new Group(calls, config.keyPackages());
        try (group; GroupLogTap log = new GroupLogTap(LocalStack.kafkaBootstrap(), group.room)) {
            List<Member> members = Member.registerAll(people, replica, config.groupMembers(), pool);
            long forming = System.nanoTime();
            group.form(members, config.joinBatch(), pool, PATIENCE);
            Member committer = group.lowest();
            report.line("%d members (devices of the 4 demo users, one stream each) formed a group in %.1f s (epoch %d); the member at leaf %d commits",
                    group.size(), (System.nanoTime() - forming) / 1e9, committer.epoch(), committer.leaf().value());
            for (Member member : group.members()) {
                if (member != committer) {
                    watches.add(new EpochWatch(member));
                }
            }
            Committer commits = new Committer(committer, group.room);
            commits.commitUntil(System.nanoTime() + WARM_UP.toNanos(), new Latencies(), new Latencies(), null);
            group.awaitConverged(PATIENCE);
            commits.resetCounts();

            Latencies prepare = new Latencies();
            Latencies submit = new Latencies();
            Map<Long, Long> sentAt = new ConcurrentHashMap<>();
            List<long[]> submissions = new ArrayList<>();
            AppliedRecords appliedBefore = AppliedRecords.of(List.of(replica));
            CpuUsage cpu = CpuUsage.now();
            ThreadCpu replicaThreads = ThreadCpu.of(replica.pid());
            ThreadCpu benchThreads = ThreadCpu.of(ProcessHandle.current().pid());
            long started = System.nanoTime();
            commits.commitUntil(started + config.groupSeconds() * 1_000_000_000L, prepare, submit, (epoch, sent, answered) -> {
                sentAt.put(epoch, sent);
                submissions.add(new long[] {sent, answered});
            });
            long stopped = System.nanoTime();
            String cpuUsed = CpuUsage.now().since(cpu, java.util.Set.of(replica.pid()));
            String replicaCpu = ThreadCpu.of(replica.pid()).since(replicaThreads);
            String benchCpu = ThreadCpu.of(ProcessHandle.current().pid()).since(benchThreads);
            double seconds = (stopped - started) / 1e9;
            long accepted = commits.accepted();
            group.awaitConverged(PATIENCE);
            double catchUp = (System.nanoTime() - stopped) / 1e9;
            AppliedRecords applied = AppliedRecords.of(List.of(replica));

            Latencies everyone = new Latencies();
            long missing = 0;
            for (Map.Entry<Long, Long> commit : sentAt.entrySet()) {
                long last = Long.MIN_VALUE;
                for (EpochWatch watch : watches) {
                    OptionalLong at = watch.reachedAt(commit.getKey());
                    if (at.isEmpty()) {
                        missing++;
                    } else {
                        last = Math.max(last, at.getAsLong());
                    }
                }
                if (last != Long.MIN_VALUE) {
                    everyone.record(last - commit.getValue());
                }
            }
            report.line("%,d Commits accepted in %.1f s: %,.1f commits/s in one group (%,d refused%s)%s", accepted, seconds,
                    accepted / seconds, commits.refusedCount(), commits.refused().isEmpty() ? "" : ": " + commits.refused(),
                    commits.outOfStep() == null ? "" : "; the committer stopped: " + commits.outOfStep());
            report.line("  making each Commit (CallKeys.prepareCommit, in this JVM): %s", prepare.summary());
            report.line("  submit (POST until the verdict): %s", submit.summary());
            splitSubmissions(submissions, log.all("handshake-submitted", started));
            report.line("  submit until all %d other members processed it: %s", watches.size(), everyone.summary());
            report.line("  every member at the last epoch %.2f s after the last Commit was accepted%s", catchUp,
                    missing == 0 ? "" : String.format("; %,d member-epochs never stamped (a watch stopped: %s)", missing,
                            watches.stream().map(EpochWatch::failure).filter(java.util.Objects::nonNull).findFirst().orElse(null)));
            report.line("  replica: %s", applied.since(appliedBefore));
            report.line("  %s", cpuUsed.replace("this phase", "the measured seconds"));
            report.line("    replica by thread: %s", replicaCpu);
            report.line("    bench client by thread: %s", benchCpu);
        } finally {
            for (EpochWatch watch : watches) {
                watch.close();
            }
            pool.shutdownNow();
        }
    }

    /**
     * Splits each submission at the moment its Commit became readable on the group log
     * ({@link GroupLogTap}): before it, the POST, the service's checks and the append (acks=all);
     * after it, the replica's log thread reading and applying it and the answer. Commits are
     * submitted one at a time, so the n-th Commit logged is the n-th submitted.
     */
    private void splitSubmissions(List<long[]> submissions, List<Long> logged) {
        if (logged.size() < submissions.size()) {
            report.line("    (the group log showed %d of the %d Commits: no split)", logged.size(), submissions.size());
            return;
        }
        Latencies toLog = new Latencies();
        Latencies toVerdict = new Latencies();
        for (int i = 0; i < submissions.size(); i++) {
            long at = logged.get(i);
            toLog.record(at - submissions.get(i)[0]);
            toVerdict.record(submissions.get(i)[1] - at);
        }
        report.line("    POST -> Commit readable on the group log: %s", toLog.summary());
        report.line("    readable on the log -> verdict received: %s", toVerdict.summary());
    }
}
