package dev.parley.bench.keydistribution;

import dev.parley.client.kd.CallKeys;
import dev.parley.client.mls.LeafIndex;
import dev.parley.events.room.RoomId;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One bench call (a fresh room) and its MLS group as the members see it. Members join the way an
 * application's participants do (signaling's event, then {@code CallKeys.join}); the group has
 * converged when every member has the group at one epoch with every member in its tree. The
 * service turns each join into an Add proposal and the members commit them as they come
 * ({@code CallKeys}: the lowest leaf at once), so a batch of joiners usually takes a few epochs.
 */
final class Group implements AutoCloseable {

    private static final SecureRandom RANDOM = new SecureRandom();

    final RoomId room = RoomId.random(RANDOM);
    private final List<Member> members = new CopyOnWriteArrayList<>();
    private final CallTopic calls;
    private final int keyPackages;

    Group(CallTopic calls, int keyPackages) {
        this.calls = calls;
        this.keyPackages = keyPackages;
    }

    /**
     * The first of {@code everyone} joins alone (and creates the group), then the others in
     * batches of {@code batch} joining at once; the group converges after each batch.
     */
    void form(List<Member> everyone, int batch, ExecutorService pool, Duration perBatch) throws Exception {
        add(everyone.subList(0, 1), pool, perBatch);
        for (int from = 1; from < everyone.size(); from += batch) {
            add(everyone.subList(from, Math.min(everyone.size(), from + batch)), pool, perBatch);
        }
    }

    /** {@code newcomers} join at once; returns when the group has converged with them in it. */
    void add(List<Member> newcomers, ExecutorService pool, Duration timeout) throws Exception {
        List<Future<?>> joins = new ArrayList<>();
        for (Member newcomer : newcomers) {
            joins.add(pool.submit(() -> {
                newcomer.join(calls, room, keyPackages);
                return null;
            }));
        }
        for (Future<?> join : joins) {
            join.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }
        members.addAll(newcomers);
        awaitConverged(timeout);
    }

    /** The members now in the call. */
    List<Member> members() {
        return List.copyOf(members);
    }

    int size() {
        return members.size();
    }

    /** Whether every member has the group, at one epoch, with every member in its tree. */
    boolean converged() {
        long epoch = -2;
        for (Member member : members) {
            CallKeys call = member.call();
            if (call == null || !call.joined() || call.leaves().size() != members.size()) {
                return false;
            }
            long at = call.epoch();
            if (epoch != -2 && at != epoch) {
                return false;
            }
            epoch = at;
        }
        return true;
    }

    /** Polls {@link #converged()} until it holds; fails naming what each member has, or what broke one. */
    void awaitConverged(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!converged()) {
            RuntimeException broken = failure();
            if (broken != null) {
                throw new IllegalStateException("a member of " + room + " failed", broken);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the group of " + room + " did not converge within " + timeout + ": " + describe());
            }
            Thread.sleep(10);
        }
    }

    /** The first failure any member's {@code CallKeys} recorded (missed messages, a refused commit), if any. */
    RuntimeException failure() {
        for (Member member : members) {
            RuntimeException failure = failureOf(member.call());
            if (failure != null) {
                return failure;
            }
        }
        return null;
    }

    static RuntimeException failureOf(CallKeys call) {
        if (call == null) {
            return null;
        }
        try {
            // Throws the recorded failure, if any, before the (immediate) timeout.
            call.await(() -> false, Duration.ZERO);
        } catch (TimeoutException | InterruptedException e) {
            return null;
        } catch (RuntimeException e) {
            return e;
        }
        return null;
    }

    /** The member at the lowest leaf: the one {@code CallKeys} lets commit at once. */
    Member lowest() {
        return members.stream().filter(m -> m.leaf() != null).min(Comparator.comparing(Member::leaf)).orElseThrow();
    }

    /** A member chosen at random among all but the lowest leaf. */
    Member randomOtherThanLowest() {
        Member lowest = lowest();
        List<Member> others = members.stream().filter(m -> m != lowest).toList();
        return others.get(RANDOM.nextInt(others.size()));
    }

    /** Commits the members' {@code CallKeys} made on their own and the service refused as stale (another won the epoch). */
    long staleCommits() {
        return staleCommits(members);
    }

    /** The same for {@code some} members: count over one list before and after a change, as members come and go. */
    static long staleCommits(List<Member> some) {
        return some.stream().mapToLong(m -> m.call() == null ? 0 : m.call().commitsStale()).sum();
    }

    /** Forgets {@code member} (after its departure was published and measured), closing its stream. */
    void forget(Member member) {
        members.remove(member);
        member.close();
    }

    void track(Member member) {
        members.add(member);
    }

    String describe() {
        StringBuilder text = new StringBuilder();
        for (Member member : members) {
            CallKeys call = member.call();
            LeafIndex leaf = member.leaf();
            text.append(String.format("[%s epoch %d, %d leaves] ", leaf == null ? "-" : leaf.value(), member.epoch(),
                    call == null ? 0 : call.leaves().size()));
        }
        return text.toString();
    }

    /** Signaling's {@code CallEnded} (the service closes the group), then every member's stream. */
    @Override
    public void close() {
        try {
            if (!members.isEmpty()) {
                calls.ended(room, members.get(0).person.userId());
            }
        } catch (RuntimeException e) {
            System.err.println("[bench] could not end the call of " + room + ": " + e);
        }
        members.forEach(Member::close);
    }
}
