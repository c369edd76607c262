package dev.parley.signaling.conference;

import dev.parley.events.call.CallParticipant;
import dev.parley.events.call.CallRole;
import dev.parley.events.call.ParticipantId;
import dev.parley.events.identity.UserId;
import dev.parley.events.room.RoomId;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A replica that dies holding a room's lock: the survivor's clean-up cannot suspend the room's
 * places until the lock expires. It must go on as soon as it can, counting the grace period from
 * when it noticed the death, not give up its claim for 30 s (ThreeReplicaCallIT once waited 16 s
 * for a dead replica's participant to time out, and never saw it).
 */
@QuarkusTest
class ReplicaLivenessIT {

    private static final SecureRandom RANDOM = new SecureRandom();

    @Inject
    LiveRoster roster;

    @Inject
    RedisDataSource redis;

    @Test
    void aDeadReplicasPlacesTimeOutSoonAfterTheLockItDiedHoldingExpires() {
        String dead = "signaling-dead-" + UUID.randomUUID();
        RoomId room = RoomId.random(RANDOM);
        ParticipantId participant = ParticipantId.random(RANDOM);
        CallParticipant sam = new CallParticipant(participant, new UserId(UUID.randomUUID().toString()), "Sam", false,
                CallRole.GUEST, false, Instant.now());
        // The dead replica held the room's lock (for 8 s more: longer than a lock waits, 5 s) and
        // a place; it is listed among the replicas, its beat long gone.
        redis.value(String.class).psetex("parley:lock:room:" + room.value(), 8_000, "the-dead-replica");
        roster.put(room, new LivePlace(sam, dead, "connection-1", "hash", 0));
        redis.set(String.class).sadd("parley:replicas", dead);
        long started = System.nanoTime();

        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                .until(() -> roster.place(room, participant).isEmpty());
        Duration gone = Duration.ofNanos(System.nanoTime() - started);
        // The lock frees after 8 s; by then the 3-s grace counted from the death has passed.
        assertThat(gone).as("removed soon after the lock expired, not after the 30-s claim")
                .isBetween(Duration.ofSeconds(7), Duration.ofSeconds(12));
        assertThat(redis.set(String.class).sismember("parley:replicas", dead)).as("the clean-up finished").isFalse();
    }
}
