package dev.parley.bench.presence;

import dev.parley.bench.common.Replica;
import dev.parley.bench.common.Report;
import dev.parley.events.connection.ConnectionEvent;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

/**
 * Redis memory per tracked user: the bench's own database is emptied, then N users come online
 * through one call connection each; {@code used_memory} before and after (the whole server's, so
 * other databases' activity is noise, reported as such), and the keys of a sample of users
 * measured one by one with {@code MEMORY USAGE}.
 */
record MemoryBench(BenchConfig config, List<Replica> replicas, Connections connections, Redis redis, Report report) {

    private static final int SAMPLE = 1_000;

    void run() throws Exception {
        int n = config.memoryUsers();
        report.section("(c) Redis memory per tracked user");
        redis.flushOwnDatabase();
        redis.setWithExpiry("parley:replica:" + Connections.REPLICA, "alive", Duration.ofHours(2).toMillis());
        Thread.sleep(2_000);
        long baseline = quietUsedMemory();
        long keysBefore = redis.dbSize();
        String run = UUID.randomUUID().toString();
        // Ids the size of a Keycloak subject (a UUID, 36 characters), as real users have.
        List<String> users = IntStream.range(0, n).mapToObj(i -> uuidLike(run, i)).toList();
        double before = Rest.changes(replicas);
        long started = System.nanoTime();
        connections.publish(users, ConnectionEvent.Change.OPENED);
        double seconds = Connections.awaitChanges(replicas, before, n, started, Duration.ofMinutes(15));
        Thread.sleep(2_000);
        long after = quietUsedMemory();
        long keysAfter = redis.dbSize();

        long sampled = 0;
        for (int i = 0; i < SAMPLE; i++) {
            String user = users.get(i * (n / SAMPLE));
            sampled += redis.memoryUsage("parley:presence:user:" + user) + redis.memoryUsage("parley:presence:state:" + user);
        }
        double perUserKeys = (double) sampled / SAMPLE;
        double sharedPerUser = (double) redis.memoryUsage("parley:presence:replica-users:" + Connections.REPLICA) / n;
        double perUserDelta = (double) (after - baseline) / n;

        report.line("%,d users online through one call connection each (user id: 36 characters, as a Keycloak subject), tracked after %.1f s",
                n, seconds);
        report.line("keys in the bench database: %,d before, %,d after (%.2f per user: devices hash and last-published state hash; plus one shared set of the users on each signaling replica)",
                keysBefore, keysAfter, (double) (keysAfter - keysBefore) / n);
        report.line("used_memory (whole server): %s before, %s after: %,.0f bytes per user", Report.mib(baseline),
                Report.mib(after), perUserDelta);
        report.line("MEMORY USAGE of %,d sampled users' keys: %,.0f bytes per user, plus %,.0f bytes per user in the replica's user set = %,.0f bytes",
                SAMPLE, perUserKeys, sharedPerUser, perUserKeys + sharedPerUser);
        double perUser = Math.max(perUserDelta, perUserKeys + sharedPerUser);
        report.line("=> one Redis node with %d GB usable tracks about %,.0f million online users at %,.0f bytes each (the larger of the two figures)",
                config.redisUsableBytes() / (1024L * 1024 * 1024), config.redisUsableBytes() / perUser / 1e6, perUser);

        // Everyone leaves again; the bench's database is emptied.
        before = Rest.changes(replicas);
        started = System.nanoTime();
        connections.publish(users, ConnectionEvent.Change.CLOSED);
        Connections.awaitChanges(replicas, before, n, started, Duration.ofMinutes(15));
        Thread.sleep(1_000);
        long left = quietUsedMemory();
        report.line("after every user left: %,d keys, used_memory %s: %,.0f bytes per offline user (the last state is kept a day "
                        + "after going offline; the signaling replica's user set stays until that replica stops)",
                redis.dbSize(), Report.mib(left), (double) (left - baseline) / n);
        redis.flushOwnDatabase();
    }

    /** The lowest of five readings, a quarter second apart: allocator noise and other clients' buffers vary. */
    private long quietUsedMemory() throws InterruptedException {
        long lowest = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            lowest = Math.min(lowest, redis.usedMemory());
            Thread.sleep(250);
        }
        return lowest;
    }

    private static String uuidLike(String run, int i) {
        return new UUID(run.hashCode() * 0x9E3779B97F4A7C15L, i * 0xBF58476D1CE4E5B9L + 1).toString();
    }
}
