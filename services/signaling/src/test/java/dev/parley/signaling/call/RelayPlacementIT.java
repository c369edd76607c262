package dev.parley.signaling.call;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
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

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

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
            return Map.of("parley.signaling.media.region", REGION);
        }

        @Override
        public void stop() {
        }
    }

    private static final String REGION = "it-" + UUID.randomUUID();

    private static final String ANSWER = """
            {"sdp": "v=0\\r\\nanswer\\r\\n", "published": [], "subscriptions": []}""";
    private static final String DRAINING = """
            {"type": "https://parley.dev/problems/relay-draining", "title": "Relay draining", "status": 503}""";

    /** Longer than signaling's directory cache (1 s): the next offer sees the hashes as written. */
    private static final long DIRECTORY_CACHE_MILLIS = 1100;

    @Inject
    RedisDataSource redis;

    private final List<StandIn> relays = new ArrayList<>();
    private final List<String> rooms = new ArrayList<>();

    @AfterEach
    void cleanUp() {
        for (StandIn relay : relays) {
            relay.server.stop(0);
            redis.key().del("parley:relay:" + relay.id);
            redis.set(String.class).srem("parley:relays", relay.id);
        }
        rooms.forEach(room -> redis.key().del("parley:room-relay:" + room));
    }

    @Test
    void aNewRoomGoesToTheLeastStressedRelayAndStaysThere() throws InterruptedException {
        StandIn calm = relay(0.2, false);
        StandIn busy = relay(0.7, false);
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
    void aDrainingRelayTakesNoNewRoomButKeepsItsCalls() throws InterruptedException {
        StandIn draining = relay(0.2, false);
        StandIn other = relay(0.7, false);
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
        StandIn gone = relay(0.2, false);
        StandIn alive = relay(0.7, false);
        Thread.sleep(DIRECTORY_CACHE_MILLIS);
        String placedBefore = room(DemoUser.ALICE);
        try (Member alice = joinAs(DemoUser.ALICE, placedBefore)) {
            offer(alice);
            assertThat(gone.offersIn(placedBefore)).isEqualTo(1);

            redis.key().del("parley:relay:" + gone.id); // as if its TTL ran out; the id stays in the set
            Thread.sleep(DIRECTORY_CACHE_MILLIS);
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
        StandIn stale = relay(0.2, false);
        StandIn other = relay(0.7, false);
        Thread.sleep(DIRECTORY_CACHE_MILLIS);
        stale.reply = new Reply(503, DRAINING);
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

    private StandIn relay(double stress, boolean draining) {
        StandIn relay = new StandIn("it-" + UUID.randomUUID());
        relays.add(relay);
        relay.register(stress, draining);
        return relay;
    }

    record Reply(int status, String body) {
    }

    /** A relay's control API that answers every offer, and the heartbeat it would write. */
    private final class StandIn {

        final String id;
        final HttpServer server;
        final List<String> paths = new CopyOnWriteArrayList<>();
        volatile Reply reply = new Reply(200, ANSWER);

        StandIn(String id) {
            this.id = id;
            try {
                server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            server.createContext("/", this::handle);
            server.start();
        }

        void register(double stress, boolean draining) {
            String key = "parley:relay:" + id;
            redis.hash(String.class).hset(key, Map.of("id", id,
                    "controlUrl", "http://127.0.0.1:" + server.getAddress().getPort(),
                    "region", REGION, "sessions", "0", "maxSessions", "1000", "packetsPerSecond", "0",
                    "maxPacketsPerSecond", "100000", "cpu", "0", "stress", Double.toString(stress),
                    "draining", Boolean.toString(draining)));
            redis.hash(String.class).hset(key, "updatedAt", Long.toString(System.currentTimeMillis()));
            redis.key().expire(key, 60); // gone by itself should the test die before cleaning up
            redis.set(String.class).sadd("parley:relays", id);
        }

        long offersIn(String roomId) {
            return paths.stream().filter(path -> path.startsWith("/api/v1/rooms/" + roomId + "/")).count();
        }

        private void handle(HttpExchange exchange) throws IOException {
            exchange.getRequestBody().readAllBytes();
            paths.add(exchange.getRequestURI().getPath());
            Reply answer = reply;
            byte[] out = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(answer.status(), out.length);
            exchange.getResponseBody().write(out);
            exchange.close();
        }
    }
}
