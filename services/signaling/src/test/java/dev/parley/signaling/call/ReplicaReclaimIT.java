package dev.parley.signaling.call;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.signaling.call.CallFixtures.Call;
import dev.parley.signaling.conference.ReplicaId;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static dev.parley.signaling.call.CallFixtures.call;
import static dev.parley.signaling.call.CallFixtures.parse;
import static dev.parley.signaling.call.CallFixtures.payload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A replica that paused past its timeout was taken for dead by another, which suspended its
 * participants. When it beats again it must take them back, or they would time out while still
 * connected. The other replica's clean-up is played here directly in Redis.
 */
@QuarkusTest
class ReplicaReclaimIT {

    @Inject
    RedisDataSource redis;

    @Inject
    ReplicaId replica;

    @Test
    void aReplicaTakenForDeadReclaimsItsParticipantsBeforeTheirGraceEnds() {
        try (Call call = call()) {
            String roster = "parley:call:" + call.roomId() + ":roster";
            String bob = call.member().participantId();
            ObjectNode place = (ObjectNode) parse(redis.hash(String.class).hget(roster, bob));
            long deadline = System.currentTimeMillis() + 3000;
            place.put("suspendedUntil", deadline);
            redis.hash(String.class).hset(roster, bob, place.toString());
            redis.sortedSet(String.class).zadd("parley:call-suspended", deadline, call.roomId() + " " + bob);
            redis.set(String.class).srem("parley:replicas", replica.value());

            await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(50)).until(() ->
                    parse(redis.hash(String.class).hget(roster, bob)).path("suspendedUntil").asLong() == 0);
            call.alice().assertNothingWithin(Duration.ofSeconds(4)); // past the 3 s grace: bob never left
            call.bob().send(payload("still", "here"));
            assertThat(call.alice().expect("payload").path("from").asText()).isEqualTo(bob);
        }
    }
}
