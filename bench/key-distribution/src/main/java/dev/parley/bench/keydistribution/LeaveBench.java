package dev.parley.bench.keydistribution;

import dev.parley.bench.common.CpuUsage;
import dev.parley.bench.common.Latencies;
import dev.parley.bench.common.Replica;
import dev.parley.bench.common.Report;
import dev.parley.client.kd.CallKeys;
import dev.parley.client.mls.LeafIndex;
import dev.parley.testing.LocalStack;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * How fast a call's keys follow its membership, in a group of {@code --leave-members} (50) on
 * one replica: the acceptance figure for key distribution is a departure reaching a new epoch
 * at every remaining member in under 300 ms.
 *
 * <p>The group forms in batches of {@code --join-batch}, converging after each. Then, per round
 * (after one unmeasured warm-up round): signaling's {@code ParticipantLeft} for a member chosen at
 * random (never the lowest leaf, which commits at once) is published, and the time runs from just
 * before the publish until every remaining member's {@code CallKeys} is at a later epoch without
 * the leaver's leaf in its tree. Then a new participant joins the remaining members: from just
 * before its {@code ParticipantJoined} (its device registered beforehand, as an application's is)
 * until it has the group from its Welcome and every member is at that same epoch.
 *
 * <p>Each change is split into stages on the bench's clock: the broker acknowledged the event;
 * the service's record of it became readable on the group log ({@link GroupLogTap}: signaling's
 * topic consumed and the record appended); the service's proposal arrived on a bare stream of the
 * room ({@link StreamObserver}: the record applied and delivered); the lowest leaf's Commit became
 * readable on the log (it processed the proposal, made the Commit and submitted it); the Commit
 * arrived on the bare stream; the last member had processed it. Every member runs in this JVM,
 * which the last stage reflects: see {@link MlsCost}.
 */
record LeaveBench(BenchConfig config, Replica replica, People people, CallTopic calls, Report report) {

    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final Duration ROUND_PATIENCE = Duration.ofSeconds(20);
    private static final Duration STAMP_PATIENCE = Duration.ofSeconds(2);
    private static final long PAUSE_MILLIS = 500;

    void run() throws Exception {
        report.section("(3) leave -> new epoch, and join, in a group of " + config.leaveMembers() + ", one replica");
        ExecutorService pool = Executors.newFixedThreadPool(config.setupConcurrency());
        ExecutorService waits = Executors.newFixedThreadPool(config.leaveMembers() + 8);
        Group group = new Group(calls, config.keyPackages());
        try {
            List<Member> members = Member.registerAll(people, replica, config.leaveMembers(), pool);
            // One round more than measured: the first warms up what runs only on a change (and the tap's first fetch).
            List<Member> spare = Member.registerAll(people, replica, config.leaveRounds() + 1, pool);
            long forming = System.nanoTime();
            group.add(members.subList(0, 1), pool, PATIENCE);
            for (int from = 1; from < members.size(); from += config.joinBatch()) {
                long batch = System.nanoTime();
                group.add(members.subList(from, Math.min(members.size(), from + config.joinBatch())), pool, PATIENCE);
                report.line("  %d members: converged %.1f s after the batch's first join event (epoch %d)", group.size(),
                        (System.nanoTime() - batch) / 1e9, group.lowest().epoch());
            }
            report.line("%d members (devices of the 4 demo users, one stream each) formed the group in %.1f s; %d redundant Commits refused as stale so far",
                    group.size(), (System.nanoTime() - forming) / 1e9, group.staleCommits());
            Thread.sleep(PAUSE_MILLIS);

            Timeline leaves = new Timeline("event acknowledged", "departure logged", "Remove proposal out", "Commit logged",
                    "Commit out", "last member processed it");
            Timeline joins = new Timeline("event acknowledged", "join logged", "Add proposal out", "Commit logged", "Commit out",
                    "it and all at one epoch");
            Latencies joinerHasGroup = new Latencies();
            long redundant = 0;
            CpuUsage cpu = null;
            ThreadCpu replicaThreads = null;
            ThreadCpu benchThreads = null;
            try (StreamObserver observer = new StreamObserver(people.client(people.person(0), replica), group.room);
                 GroupLogTap log = new GroupLogTap(LocalStack.kafkaBootstrap(), group.room)) {
                Timeline leaveWarmUp = new Timeline(leaves.stages());
                Timeline joinWarmUp = new Timeline(joins.stages());
                for (int round = -1; round < config.leaveRounds(); round++) {
                    Timeline leaving = round < 0 ? leaveWarmUp : leaves;
                    Timeline joining = round < 0 ? joinWarmUp : joins;
                    if (round == 0) {
                        cpu = CpuUsage.now();
                        replicaThreads = ThreadCpu.of(replica.pid());
                        benchThreads = ThreadCpu.of(ProcessHandle.current().pid());
                        redundant = 0;
                    }
                    List<Member> present = group.members();
                    long staleBefore = Group.staleCommits(present);
                    Member leaver = group.randomOtherThanLowest();
                    LeafIndex leaf = leaver.leaf();
                    long epoch = group.lowest().epoch();
                    List<Member> remaining = group.members().stream().filter(m -> m != leaver).toList();
                    long start = System.nanoTime();
                    calls.left(group.room, leaver.participant, leaver.person.userId());
                    long acked = System.nanoTime();
                    long last = awaitAll(remaining, m -> m.call().epoch() > epoch && !m.call().leaves().contains(leaf), waits);
                    String left = leaving.record(start, acked, stamp(log.await("member-departed", start, STAMP_PATIENCE)),
                            stamp(observer.await("proposal", epoch, start, STAMP_PATIENCE)),
                            stamp(log.await("handshake-submitted", start, STAMP_PATIENCE)),
                            stamp(observer.await("commit", epoch, start, STAMP_PATIENCE)), last);
                    group.forget(leaver);
                    Thread.sleep(PAUSE_MILLIS);
                    long staleLeave = Group.staleCommits(present) - staleBefore;
                    report.line("  %s: leaf %d left, all %d others at a new epoch after %.0f ms: %s; %d redundant Commits",
                            round < 0 ? "warm-up" : "round " + (round + 1), leaf.value(), remaining.size(), (last - start) / 1e6, left, staleLeave);

                    Member joiner = spare.get(round + 1);
                    long before = group.lowest().epoch();
                    List<Member> others = group.members();
                    staleBefore = Group.staleCommits(others);
                    start = System.nanoTime();
                    calls.joined(group.room, joiner.participant, joiner.person.userId());
                    acked = System.nanoTime();
                    joiner.joinGroup(group.room, config.keyPackages());
                    CallKeys call = joiner.call();
                    call.await(() -> call.joined() && call.epoch() > before, ROUND_PATIENCE);
                    long hasGroup = System.nanoTime();
                    long joinerEpoch = call.epoch();
                    last = Math.max(hasGroup, awaitAll(others, m -> m.call().epoch() >= joinerEpoch, waits));
                    joinerHasGroup.record(hasGroup - start);
                    String joined = joining.record(start, acked, stamp(log.await("join-requested", start, STAMP_PATIENCE)),
                            stamp(observer.await("proposal", before, start, STAMP_PATIENCE)),
                            stamp(log.await("handshake-submitted", start, STAMP_PATIENCE)),
                            stamp(observer.await("commit", before, start, STAMP_PATIENCE)), last);
                    group.track(joiner);
                    group.awaitConverged(PATIENCE);
                    Thread.sleep(PAUSE_MILLIS);
                    long staleJoin = Group.staleCommits(others) + Group.staleCommits(List.of(joiner)) - staleBefore;
                    redundant += staleLeave + staleJoin;
                    report.line("    then a member joined the %d, it and all at one epoch after %.0f ms (it had the group after %.0f ms): %s; %d redundant Commits",
                            others.size(), (last - start) / 1e6, (hasGroup - start) / 1e6, joined, staleJoin);
                }
            }
            String cpuUsed = CpuUsage.now().since(cpu, java.util.Set.of(replica.pid()));
            String replicaCpu = ThreadCpu.of(replica.pid()).since(replicaThreads);
            String benchCpu = ThreadCpu.of(ProcessHandle.current().pid()).since(benchThreads);
            report.line("leave -> every remaining member at a new epoch without the leaver (%d rounds): %s", config.leaveRounds(), leaves.total());
            leaves.reportStages(report, "  ", "ParticipantLeft published");
            report.line("  the aim is < 300 ms: %s (slowest round %.0f ms)", leaves.worst() < 300_000_000L ? "met" : "NOT met", leaves.worst() / 1e6);
            report.line("join into %d members -> the joiner and every member at one epoch: %s", config.leaveMembers() - 1, joins.total());
            report.line("  the joiner has the group (its Welcome processed): %s", joinerHasGroup.summary());
            joins.reportStages(report, "  ", "ParticipantJoined published");
            report.line("  ('logged': readable on parley.groups; 'out': arrived on a bare stream of the room, one of the replica's %d; the joiner's KeyPackage upload and join request are part of 'join logged')",
                    config.leaveMembers() + 1);
            report.line("  redundant Commits (a member's rank delay ran out before it had processed the lowest leaf's Commit; refused as stale): %d in %d changes",
                    redundant, 2 * config.leaveRounds());
            report.line("  %s", cpuUsed.replace("this phase", "the rounds (pauses included)"));
            report.line("    replica by thread: %s", replicaCpu);
            report.line("    bench client by thread: %s", benchCpu);
        } finally {
            group.close();
            pool.shutdownNow();
            waits.shutdownNow();
        }
    }

    /** Waits, one thread per member, until {@code condition} holds for each; returns when the last one did. */
    private static long awaitAll(List<Member> members, Predicate<Member> condition, ExecutorService pool) throws Exception {
        List<Future<Long>> waits = new ArrayList<>();
        for (Member member : members) {
            waits.add(pool.submit(() -> {
                member.call().await(() -> condition.test(member), ROUND_PATIENCE);
                return System.nanoTime();
            }));
        }
        long last = Long.MIN_VALUE;
        for (Future<Long> wait : waits) {
            last = Math.max(last, wait.get(ROUND_PATIENCE.toMillis() + 5_000, TimeUnit.MILLISECONDS));
        }
        return last;
    }

    private static long stamp(OptionalLong at) {
        return at.orElse(-1);
    }
}
