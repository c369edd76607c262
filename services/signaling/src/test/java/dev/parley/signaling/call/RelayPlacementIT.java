package dev.parley.signaling.call;

import dev.parley.signaling.call.CallFixtures.Member;
import dev.parley.testing.DemoUser;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.parley.signaling.call.CallFixtures.admit;
import static dev.parley.signaling.call.CallFixtures.createRoom;
import static dev.parley.signaling.call.CallFixtures.joinAs;
import static dev.parley.signaling.call.CallFixtures.msg;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Placement of rooms on relays that registered themselves in Redis (issue 7, "Placement"): the
 * test writes two stand-in relays' heartbeat hashes itself, each pointing at its own HTTP server,
 * and watches which one each offer reaches.
 */
@QuarkusTest
@QuarkusTestResource(value = RelayPlacementIT.OwnRegion.class, restrictToAnnotatedClass = true)
class RelayPlacementIT {

    /**
     * Relays of other tests or of the local stack may register in the same Redis: the stand-ins
     * share a region of their own with this signaling, so they come first.
     */
    public static class OwnRegion implements QuarkusTestResourceLifecycleManager {

        @Override
        public Map<String, String> start() {
            // A draining relay keeps its calls for the grace; RelayFailoverIT has them move at once.
            return Map.of("parley.signaling.media.region", REGION, "parley.signaling.media.drain-grace", "1h");
        }

        @Override
        public void stop() {
        }
    }

    private static final String REGION = "it-" + UUID.randomUUID();

    private static final String DRAINING = """
            {"type": "https://parley.dev/problems/relay-draining", "title": "Relay draining", "status": 503}""";

    /** Longer than signaling's directory cache (1 s): the next offer sees the hashes as written. */
    private static final long DIRECTORY_CACHE_MILLIS = 1100;

    @Inject
    RedisDataSource redis;

    private final List<StandInRelay> relays = new ArrayList<>();
    private final List<String> rooms = new ArrayList<>();

    @AfterEach
    void cleanUp() {
        relays.forEach(StandInRelay::remove);
        rooms.forEach(room -> redis.key().del("parley:room-relay:" + room));
    }

    @Test
    void aNewRoomGoesToTheLeastStressedRelayAndStaysThere() throws InterruptedException {
        StandInRelay calm = relay(0.2, false);
        StandInRelay busy = relay(0.7, false);
        Thread.sleep(DIRECTORY_CACHE_MILLIS);
        String roomId = room(DemoUser.ALICE);
        admit(DemoUser.BOB, roomId);
        try (Member alice = joinAs(DemoUser.ALICE, roomId)) {
            offer(alice);
            assertThat(calm.offersIn(roomId)).isEqualTo(1);
            assertThat(redis.value(String.class).get("parley:room-relay:" + roomId)).isEqualTo(calm.id);

            calm.register(0.7, false);
            busy.register(0.2, false);
            Thread.sleep(DIRECTORY_CACHE_MILLIS);
            try (Member bob = joinAs(DemoUser.BOB, roomId)) {
                offer(bob);
                assertThat(calm.offersIn(roomId)).isEqualTo(2);
                assertThat(busy.offersIn(roomId)).isZero();
            }
        }
        String next = room(DemoUser.ALICE);
        try (Member alice = joinAs(DemoUser.ALICE, next)) {
            offer(alice);
            assertThat(busy.offersIn(next)).isEqualTo(1); // the swap is seen by new rooms
        }
    }

    @Test
    void aDrainingRelayTakesNoNewRoomButKeepsItsCallsDuringTheGrace() throws InterruptedException {
        StandInRelay draining = relay(0.2, false);
        StandInRelay other = relay(0.7, false);
        Thread.sleep(DIRECTORY_CACHE_MILLIS);
        String ongoing = room(DemoUser.ALICE);
        admit(DemoUser.BOB, ongoing);
        try (Member alice = joinAs(DemoUser.ALICE, ongoing)) {
            offer(alice);
            draining.register(0.2, true);
            Thread.sleep(DIRECTORY_CACHE_MILLIS);
            try (Member bob = joinAs(DemoUser.BOB, ongoing)) {
                offer(bob);
            }
            assertThat(draining.offersIn(ongoing)).isEqualTo(2);
        }
        String fresh = room(DemoUser.ALICE);
        try (Member alice = joinAs(DemoUser.ALICE, fresh)) {
            offer(alice);
            assertThat(other.offersIn(fresh)).isEqualTo(1);
            assertThat(draining.offersIn(fresh)).isZero();
        }
    }

    @Test
    void withEveryRelayDrainingANewRoomHasNoMedia() throws InterruptedException {
        relay(0.2, true);
        relay(0.7, true);
        Thread.sleep(DIRECTORY_CACHE_MILLIS);
        Assumptions.assumeTrue(noOtherRelayTakesRooms(), "a relay outside this test takes new rooms");
        String roomId = room(DemoUser.ALICE);
        try (Member alice = joinAs(DemoUser.ALICE, roomId)) {
            alice.socket().send(msg("media-offer", "m1").put("sdp", "v=0\r\noffer\r\n"));
            assertThat(alice.socket().expect("error").path("code").asText()).isEqualTo("media-unavailable");
        }
        assertThat(relays).allSatisfy(relay -> assertThat(relay.offersIn(roomId)).isZero());
    }

    @Test
    void aRelayWhoseHeartbeatExpiredIsNotUsed() throws InterruptedException {
        StandInRelay gone = relay(0.2, false);
        StandInRelay alive = relay(0.7, false);
        Thread.sleep(DIRECTORY_CACHE_MILLIS);
        String placedBefore = room(DemoUser.ALICE);
        try (Member alice = joinAs(DemoUser.ALICE, placedBefore)) {
            offer(alice);
            assertThat(gone.offersIn(placedBefore)).isEqualTo(1);

            redis.key().del("parley:relay:" + gone.id); // as if its TTL ran out; the id stays in the set
            // The room moves on (RelayFailoverIT has the details), and alice offers again.
            assertThat(alice.socket().until("media-restart").path("reason").asText()).isEqualTo("relay-lost");
            offer(alice);
            assertThat(alive.offersIn(placedBefore)).isEqualTo(1); // the room moves on
            assertThat(gone.offersIn(placedBefore)).isEqualTo(1);
        }
        String fresh = room(DemoUser.BOB);
        try (Member bob = joinAs(DemoUser.BOB, fresh)) {
            offer(bob);
            assertThat(alive.offersIn(fresh)).isEqualTo(1);
        }
        assertThat(redis.set(String.class).sismember("parley:relays", gone.id)).isFalse();
    }

    @Test
    void aRelayThatStartedDrainingSinceItsHeartbeatHandsTheNewRoomOn() throws InterruptedException {
        StandInRelay stale = relay(0.2, false);
        StandInRelay other = relay(0.7, false);
        Thread.sleep(DIRECTORY_CACHE_MILLIS);
        stale.reply = new StandInRelay.Reply(503, DRAINING);
        String roomId = room(DemoUser.ALICE);
        try (Member alice = joinAs(DemoUser.ALICE, roomId)) {
            offer(alice);
            assertThat(stale.offersIn(roomId)).isEqualTo(1);
            assertThat(other.offersIn(roomId)).isEqualTo(1);
            assertThat(redis.value(String.class).get("parley:room-relay:" + roomId)).isEqualTo(other.id);
        }
    }

    private boolean noOtherRelayTakesRooms() {
        List<String> ours = relays.stream().map(relay -> relay.id).toList();
        return redis.set(String.class).smembers("parley:relays").stream()
                .filter(id -> !ours.contains(id))
                .map(id -> redis.hash(String.class).hget("parley:relay:" + id, "draining"))
                .allMatch(draining -> draining == null || draining.equals("true"));
    }

    private void offer(Member member) {
        member.socket().send(msg("media-offer", "m").put("sdp", "v=0\r\noffer\r\n"));
        assertThat(member.socket().expect("media-answer").path("sdp").asText()).isEqualTo("v=0\r\nanswer\r\n");
    }

    private String room(DemoUser host) {
        String roomId = createRoom(host);
        rooms.add(roomId);
        return roomId;
    }

    private StandInRelay relay(double stress, boolean draining) {
        StandInRelay relay = new StandInRelay(redis, REGION);
        relays.add(relay);
        relay.register(stress, draining);
        return relay;
    }
}
