package dev.parley.bench.keydistribution;

import dev.parley.client.kd.KeyDistributionClient;
import dev.parley.client.kd.Wire;
import dev.parley.events.room.RoomId;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * A bare stream of the group's messages, as a member's device follows it but without MLS: it
 * stamps when each message arrives (its kind and epoch) on the bench's clock, so a departure or a
 * join can be split into what the service did (the Remove or Add proposal is out; the Commit is
 * out) and what the members did with it. It is one of the replica's streams of the room, served
 * in the same loop as the members' own.
 */
final class StreamObserver implements AutoCloseable {

    private record Arrival(String kind, long epoch, long at) {
    }

    private final List<Arrival> arrivals = new ArrayList<>();
    private final KeyDistributionClient.Subscription subscription;

    /** Follows {@code room}'s group from its next message, as a {@code client} whose user is in the call. */
    StreamObserver(KeyDistributionClient client, RoomId room) {
        Wire.GroupView view = client.group(room.value());
        this.subscription = client.follow(room.value(), view.groupId(), view.nextIndex() - 1, this::arrived);
    }

    private synchronized void arrived(Wire.GroupMessage message) {
        arrivals.add(new Arrival(message.kind(), message.epoch(), System.nanoTime()));
        notifyAll();
    }

    /**
     * When the first message of {@code kind} for {@code epoch} arrived after {@code since}
     * (nanoTime), waiting up to {@code timeout} for it; empty if it did not.
     */
    synchronized OptionalLong await(String kind, long epoch, long since, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (Arrival arrival : arrivals) {
                if (arrival.kind().equals(kind) && arrival.epoch() == epoch && arrival.at() >= since) {
                    return OptionalLong.of(arrival.at());
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return OptionalLong.empty();
            }
            java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }

    @Override
    public void close() {
        subscription.close();
    }
}
