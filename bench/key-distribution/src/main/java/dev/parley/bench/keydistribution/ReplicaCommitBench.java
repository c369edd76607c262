package dev.parley.bench.keydistribution;

import dev.parley.bench.common.CpuUsage;
import dev.parley.bench.common.Latencies;
import dev.parley.bench.common.Replica;
import dev.parley.bench.common.Replicas;
import dev.parley.bench.common.Report;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Commits per second per replica: many calls at once, each with one member committing back to
 * back ({@link Committer}), all against one replica, then against {@code --scaling-replicas}
 * (each group's members on one of them, the groups spread evenly), to see what another replica
 * adds. {@code --replica-groups} groups of {@code --replica-group-members} form afresh for each
 * run (new rooms); the members that do not commit follow their stream and process every Commit,
 * as devices in a call would. Figures: accepted Commits per second in all and per replica,
 * submit latency, refusals, and the replicas' own time applying the log.
 */
record ReplicaCommitBench(BenchConfig config, Replicas replicas, People people, CallTopic calls, Report report) {

    private static final Duration PATIENCE = Duration.ofSeconds(90);
    private static final Duration WARM_UP = Duration.ofSeconds(15);
    private static final String POOL_BUSY = "ConnectionPoolTooBusyException";
    private static final String TAIL_FAILED = "following parley.groups failed";

    void run() throws Exception {
        report.section("(2) commits per second per replica: many groups at once");
        measure(1);
        int scaling = config.scalingReplicas();
        if (scaling > 1) {
            int added = 0;
            while (replicas.all().size() < scaling) {
                Replica replica = replicas.add();
                added++;
                report.line("replica %d started: pid %d, http://127.0.0.1:%d", replica.index(), replica.pid(), replica.port());
            }
            try {
                measure(scaling);
            } finally {
                for (int i = 0; i < added; i++) {
                    replicas.removeLast();
                }
            }
        }
    }

    private void measure(int replicaCount) throws Exception {
        List<Replica> targets = replicas.all().subList(0, replicaCount);
        int groupCount = config.replicaGroups();
        ExecutorService joins = Executors.newFixedThreadPool(config.setupConcurrency());
        ExecutorService work = Executors.newFixedThreadPool(groupCount);
        List<Group> groups = new ArrayList<>();
        try {
            long forming = System.nanoTime();
            List<Future<?>> formed = new ArrayList<>();
            for (int g = 0; g < groupCount; g++) {
                Replica target = targets.get(g % targets.size());
                Group group = new Group(calls, config.keyPackages());
                groups.add(group);
                formed.add(work.submit(() -> {
                    List<Member> members = Member.registerAll(people, target, config.replicaGroupMembers(), joins);
                    group.form(members, config.joinBatch(), joins, PATIENCE);
                    return null;
                }));
            }
            for (Future<?> group : formed) {
                group.get(PATIENCE.toMillis() * 2, TimeUnit.MILLISECONDS);
            }
            report.line("%d groups of %d members formed in %.1f s, each on one of %d replica(s); each group's lowest leaf commits back to back",
                    groupCount, config.replicaGroupMembers(), (System.nanoTime() - forming) / 1e9, replicaCount);

            List<Committer> committers = groups.stream().map(group -> new Committer(group.lowest(), group.room)).toList();
            runAll(committers, work, System.nanoTime() + WARM_UP.toNanos(), new Latencies());
            committers.forEach(Committer::resetCounts);
            long poolBusyBefore = logLines(targets, POOL_BUSY);
            long tailFailedBefore = logLines(targets, TAIL_FAILED);
            AppliedRecords appliedBefore = AppliedRecords.of(targets);
            Latencies submit = new Latencies();
            CpuUsage cpu = CpuUsage.now();
            List<ThreadCpu> replicaThreads = targets.stream().map(r -> ThreadCpu.of(r.pid())).toList();
            ThreadCpu benchThreads = ThreadCpu.of(ProcessHandle.current().pid());
            long started = System.nanoTime();
            runAll(committers, work, started + config.replicaSeconds() * 1_000_000_000L, submit);
            double seconds = (System.nanoTime() - started) / 1e9;
            String cpuUsed = CpuUsage.now().since(cpu, targets.stream().map(Replica::pid).collect(Collectors.toSet()));
            List<String> replicaCpu = new ArrayList<>();
            for (int i = 0; i < targets.size(); i++) {
                replicaCpu.add(ThreadCpu.of(targets.get(i).pid()).since(replicaThreads.get(i)));
            }
            String benchCpu = ThreadCpu.of(ProcessHandle.current().pid()).since(benchThreads);
            AppliedRecords applied = AppliedRecords.of(targets);
            long accepted = committers.stream().mapToLong(Committer::accepted).sum();
            long refused = committers.stream().mapToLong(Committer::refusedCount).sum();
            List<String> outOfStep = committers.stream().map(Committer::outOfStep).filter(java.util.Objects::nonNull).toList();
            Map<String, Long> why = new TreeMap<>();
            committers.forEach(c -> c.refused().forEach((k, v) -> why.merge(k, v, Long::sum)));

            report.line("%d replica(s): %,d Commits accepted in %.1f s: %,.0f commits/s in all, %,.0f per replica; %,d refused%s",
                    replicaCount, accepted, seconds, accepted / seconds, accepted / seconds / replicaCount, refused,
                    why.isEmpty() ? "" : " " + why);
            report.line("  submit (POST until the verdict): %s", submit.summary());
            long poolBusy = logLines(targets, POOL_BUSY) - poolBusyBefore;
            long tailFailed = logLines(targets, TAIL_FAILED) - tailFailedBefore;
            if (poolBusy + tailFailed > 0) {
                report.line("  replica logs: %d lines with %s (the Redis pool's 24 waiters overflowed), %d with '%s' (the group log's thread stopped and started over)",
                        poolBusy, POOL_BUSY, tailFailed, TAIL_FAILED);
            }
            if (!outOfStep.isEmpty()) {
                report.line("  %d of %d committers stopped out of step, e.g. %s", outOfStep.size(), committers.size(), outOfStep.get(0));
            }
            report.line("  replicas: %s", applied.since(appliedBefore));
            report.line("  %s", cpuUsed.replace("this phase", "the measured seconds"));
            for (int i = 0; i < replicaCpu.size(); i++) {
                report.line("    replica %d by thread: %s", i, replicaCpu.get(i));
            }
            report.line("    bench client by thread: %s", benchCpu);
        } finally {
            for (Group group : groups) {
                group.close();
            }
            work.shutdownNow();
            joins.shutdownNow();
        }
    }

    private static long logLines(List<Replica> replicas, String text) {
        return replicas.stream().mapToLong(replica -> Math.max(0, replica.logLinesContaining(text))).sum();
    }

    /** Every committer commits on a thread of its own until {@code deadline}. */
    private static void runAll(List<Committer> committers, ExecutorService work, long deadline, Latencies submit) throws Exception {
        List<Future<?>> running = new ArrayList<>();
        for (Committer committer : committers) {
            running.add(work.submit(() -> {
                committer.commitUntil(deadline, new Latencies(), submit, null);
                return null;
            }));
        }
        for (Future<?> committer : running) {
            committer.get();
        }
    }
}
