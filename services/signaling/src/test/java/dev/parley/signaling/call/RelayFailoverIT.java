package dev.parley.signaling.call;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.events.room.RoomId;
import dev.parley.signaling.call.CallFixtures.Member;
import dev.parley.signaling.media.RelayHealth;
import dev.parley.testing.DemoUser;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.parley.signaling.call.CallFixtures.admit;
import static dev.parley.signaling.call.CallFixtures.createRoom;
import static dev.parley.signaling.call.CallFixtures.joinAs;
import static dev.parley.signaling.call.CallFixtures.msg;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Failover (issue 7, "Failover"; docs/architecture.md, "Relay failover"): a room whose relay stops
 * beating, drains, or refuses the connection of an offer moves to another relay, and everyone in
 * the call receives {@code media-restart} once, without leaving. The relays are stand-ins
 * ({@link StandInRelay}) whose heartbeats the test writes.
 */
@QuarkusTest
@QuarkusTestResource(value = RelayFailoverIT.OwnRegion.class, restrictToAnnotatedClass = true)
class RelayFailoverIT {

    /** The stand-ins share a region of their own with this signaling, so they come before other tests' relays. */
    public static class OwnRegion implements QuarkusTestResourceLifecycleManager {

        @Override
        public Map<String, String> start() {
            // Every offer reads the directory afresh, so a stand-in registered now is seen by the next offer.
            return Map.of("parley.signaling.media.region", REGION, "parley.signaling.media.drain-grace", "0s",
                    "parley.signaling.media.directory-cache", "0s");
        }

        @Override
        public void stop() {
        }
    }

    private static final String REGION = "it-" + UUID.randomUUID();
    /** Three watch rounds (500 ms each): long enough for a second, wrong announcement to show. */
    private static final Duration QUIET = Duration.ofMillis(1500);

    @Inject
    RedisDataSource redis;
    @Inject
    RelayHealth health;

    private final List<StandInRelay> relays = new ArrayList<>();

    @AfterEach
    void cleanUp() {
        relays.forEach(StandInRelay::remove);
    }

    @Test
    void aRoomWhoseRelayStopsBeatingMovesAndEveryoneIsToldOnce() {
        StandInRelay dying = relay(0.2);
        StandInRelay survivor = relay(0.7);
        String roomId = createRoom(DemoUser.ALICE);
        admit(DemoUser.BOB, roomId);
        try (Member alice = joinAs(DemoUser.ALICE, roomId); Member bob = joinAs(DemoUser.BOB, roomId)) {
            offer(alice);
            assertThat(dying.offersIn(roomId)).isEqualTo(1);
            double before = moves("relay-lost", "watch");

            dying.lastBeatAgo(10_000); // still registered, but silent for longer than relay-staleness

            for (Member member : List.of(alice, bob)) {
                JsonNode restart = member.socket().until("media-restart");
                assertThat(restart.path("reason").asText()).isEqualTo("relay-lost");
                assertThat(restart.path("roomId").asText()).isEqualTo(roomId);
                assertThat(restart.path("seq").asLong()).isPositive();
                assertThat(restart.has("fromRelay") || restart.has("toRelay")).as("relay ids stay with the servers: " + restart)
                        .isFalse();
            }
            assertThat(roomRelay(roomId)).isEqualTo(survivor.id);
            alice.socket().assertNothingWithin(QUIET);
            bob.socket().assertNothingWithin(Duration.ZERO);
            assertThat(moves("relay-lost", "watch")).isEqualTo(before + 1);

            offer(bob);
            offer(alice);
            assertThat(survivor.offersIn(roomId)).isEqualTo(2);
            assertThat(dying.offersIn(roomId)).isEqualTo(1);
        }
    }

    @Test
    void aRelayLateToBeatIsProbedLostWhenItRefusesAndKeptWhenItAnswers() {
        StandInRelay late = relay(0.2);
        StandInRelay other = relay(0.7);
        String roomId = createRoom(DemoUser.ALICE);
        try (Member alice = joinAs(DemoUser.ALICE, roomId)) {
            offer(alice);
            double before = moves("relay-lost", "probe");

            // Later than relay-suspect-after (1.5 s), not yet stale (2.5 s), and its control port answers: kept.
            for (int round = 0; round < 3; round++) { // three watch rounds, the beat always 1.6 s old
                late.lastBeatAgo(1600);
                alice.socket().assertNothingWithin(QUIET.dividedBy(3));
            }
            assertThat(roomRelay(roomId)).isEqualTo(late.id);

            late.server.stop(0); // now it refuses: lost, before its beat is stale
            late.lastBeatAgo(1600);
            assertThat(alice.socket().until("media-restart").path("reason").asText()).isEqualTo("relay-lost");
            assertThat(roomRelay(roomId)).isEqualTo(other.id);
            assertThat(moves("relay-lost", "probe")).isEqualTo(before + 1);
        }
    }

    @Test
    void aDrainingRelayHandsItsCallsOn() {
        StandInRelay draining = relay(0.2);
        StandInRelay other = relay(0.7);
        String roomId = createRoom(DemoUser.ALICE);
        try (Member alice = joinAs(DemoUser.ALICE, roomId)) {
            offer(alice);
            assertThat(draining.offersIn(roomId)).isEqualTo(1);

            draining.register(0.2, true);

            assertThat(alice.socket().until("media-restart").path("reason").asText()).isEqualTo("relay-draining");
            assertThat(roomRelay(roomId)).isEqualTo(other.id);
            offer(alice);
            assertThat(other.offersIn(roomId)).isEqualTo(1);
        }
    }

    @Test
    void anOfferThatCannotConnectToTheRoomsRelayMovesTheRoomAtOnce() {
        StandInRelay unreachable = relay(0.2);
        StandInRelay other = relay(0.7);
        String roomId = createRoom(DemoUser.ALICE);
        admit(DemoUser.BOB, roomId);
        try (Member alice = joinAs(DemoUser.ALICE, roomId); Member bob = joinAs(DemoUser.BOB, roomId)) {
            offer(alice);
            double before = moves("relay-lost", "offer");

            // Its heartbeat stays fresh (the watch sees nothing wrong), but it refuses connections.
            unreachable.server.stop(0);
            bob.socket().send(msg("media-offer", "m-gone").put("sdp", "v=0\r\noffer\r\n"));

            // bob's offer fails (retry) and everyone restarts; the two may reach bob in either order.
            boolean restarted = false;
            JsonNode message = bob.socket().next();
            while (!message.path("type").asText().equals("error")) {
                restarted |= isLostRestart(message);
                message = bob.socket().next();
            }
            assertThat(message.path("code").asText()).isEqualTo("media-unavailable");
            assertThat(message.path("ref").asText()).isEqualTo("m-gone");
            assertThat(restarted || isLostRestart(bob.socket().until("media-restart"))).isTrue();
            assertThat(isLostRestart(alice.socket().until("media-restart"))).isTrue();
            assertThat(roomRelay(roomId)).isEqualTo(other.id);
            assertThat(moves("relay-lost", "offer")).isEqualTo(before + 1);
            offer(bob);
            assertThat(other.offersIn(roomId)).isEqualTo(1);
        }
    }

    @Test
    void ofTwoReplicasFindingTheSameRelayLostOnlyOneMovesTheRoom() {
        StandInRelay lost = relay(0.2);
        StandInRelay other = relay(0.7);
        String roomId = createRoom(DemoUser.ALICE);
        try (Member alice = joinAs(DemoUser.ALICE, roomId)) {
            offer(alice);
        }
        // What two replicas do when both find the relay lost: the second finds the room moved already.
        RoomId room = new RoomId(roomId);
        assertThat(health.lost(room, lost.id)).hasValueSatisfying(move -> {
            assertThat(move.fromRelay()).isEqualTo(lost.id);
            assertThat(move.toRelay()).isEqualTo(other.id);
        });
        assertThat(health.lost(room, lost.id)).isEmpty();
        assertThat(roomRelay(roomId)).isEqualTo(other.id);
    }

    private static boolean isLostRestart(JsonNode message) {
        return message.path("type").asText().equals("media-restart") && message.path("reason").asText().equals("relay-lost");
    }

    private String roomRelay(String roomId) {
        return redis.value(String.class).get("parley:room-relay:" + roomId);
    }

    private void offer(Member member) {
        member.socket().send(msg("media-offer", "m").put("sdp", "v=0\r\noffer\r\n"));
        assertThat(member.socket().until("media-answer").path("sdp").asText()).isEqualTo("v=0\r\nanswer\r\n");
    }

    /** A stand-in registered now and seen by signaling's next read of the directory. */
    private StandInRelay relay(double stress) {
        StandInRelay relay = new StandInRelay(redis, REGION);
        relays.add(relay);
        relay.register(stress, false);
        return relay;
    }

    /** This signaling's {@code parley_media_room_moves_total} for one reason and detector. */
    private static double moves(String reason, String detected) {
        String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        for (String line : metrics.split("\n")) {
            if (line.startsWith("parley_media_room_moves_total{") && line.contains("reason=\"" + reason + "\"")
                    && line.contains("detected=\"" + detected + "\"")) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return 0;
    }
}
