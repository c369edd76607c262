package dev.parley.bench.keydistribution;

import dev.parley.bench.common.Replica;
import dev.parley.bench.common.Report;

/**
 * Where a departure's time goes, apart from what {@link LeaveBench} stamps on the way: how long
 * the service takes to deliver one message to every stream of a big room ({@link DeliveryProbe},
 * with 10 and {@code --leave-members} + 1 bare streams), and how much MLS work a member does in a
 * group of {@code --leave-members} ({@link MlsCost}), which in this bench every member does in one
 * JVM under one lock.
 */
record BreakdownBench(BenchConfig config, Replica replica, People people, CallTopic calls, Report report) {

    void run() throws Exception {
        report.section("(4) where a departure's time goes: the service's delivery to a room's streams, and each member's MLS work");
        new DeliveryProbe(replica, people, calls, config.keyPackages(), report).run(10, config.leaveMembers() + 1);
        new MlsCost(replica, people, config.leaveMembers(), report).run();
    }
}
