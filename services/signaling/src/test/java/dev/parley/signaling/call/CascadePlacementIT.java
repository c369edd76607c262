package dev.parley.signaling.call;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.signaling.call.CallFixtures.Member;
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
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Cascading placement (issue 7, "Cascading"): stand-in relays in two regions of the test's own
 * (their heartbeats written by the test, as in {@link RelayPlacementIT}); participants who state a
 * region in {@code media-offer} go to a relay there, which joins the room, and each session request
 * names the room's other relays as {@code peers}; a participant keeps its relay across offers; one
 * who states no region goes to the room's relay; a malformed region is refused.
 */
@QuarkusTest
@QuarkusTestResource(value = CascadePlacementIT.HomeRegion.class, restrictToAnnotatedClass = true)
class CascadePlacementIT {

    private static final String SUFFIX = UUID.randomUUID().toString().substring(0, 8);
    private static final String EU = "eu-" + SUFFIX;
    private static final String US = "us-" + SUFFIX;

    /**
     * Signaling's own region is the test's eu: new rooms go home to the eu stand-in before any other
     * relay; every offer reads the directory afresh, so it sees the stand-ins as just written.
     */
    public static class HomeRegion implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            return Map.of("parley.signaling.media.region", EU, "parley.signaling.media.directory-cache", "0s");
        }

        @Override
        public void stop() {
        }
    }

    @Inject
    RedisDataSource redis;

    private final List<StandInRelay> relays = new ArrayList<>();
    private final List<String> rooms = new ArrayList<>();

    @AfterEach
    void cleanUp() {
        relays.forEach(StandInRelay::remove);
        rooms.forEach(room -> redis.key().del("parley:room-relay:" + room, "parley:room-participant-relay:" + room,
                "parley:room-cascaded:" + room));
    }

    @Test
    void participantsGoToARelayOfTheirRegionAndEachRequestNamesTheRoomsOtherRelays() throws Exception {
        StandInRelay eu = relay(EU, 0.3);
        StandInRelay us = relay(US, 0.1);
        relay(US, 0.6); // a busier relay in us: the calmer one joins the room
        String roomId = createRoom(DemoUser.ALICE);
        rooms.add(roomId);
        admit(DemoUser.BOB, roomId);
        admit(DemoUser.CAROL, roomId);
        try (Member alice = joinAs(DemoUser.ALICE, roomId);
             Member bob = joinAs(DemoUser.BOB, roomId);
             Member carol = joinAs(DemoUser.CAROL, roomId)) {
            offer(alice, EU);
            assertThat(eu.offersIn(roomId)).isEqualTo(1);
            assertThat(peers(eu)).as("alone in the room: no other relay").isEmpty();

            offer(bob, US);
            assertThat(us.offersIn(roomId)).as("bob's relay is in his region").isEqualTo(1);
            assertThat(peers(us)).as("bob's relay links with the room's home").containsExactly(eu.id);

            offer(bob, EU);
            assertThat(us.offersIn(roomId)).as("bob keeps his relay whatever he says later").isEqualTo(2);
            offer(carol, null);
            assertThat(eu.offersIn(roomId)).as("no region: the room's relay").isEqualTo(2);
            assertThat(peers(eu)).as("the room's relays are now two").containsExactly(us.id);
            offer(alice, EU);
            assertThat(eu.offersIn(roomId)).isEqualTo(3);
            assertThat(peers(eu)).containsExactly(us.id);

            assertThat(redis.hash(String.class).hgetall("parley:room-participant-relay:" + roomId))
                    .as("on the room's relay wherever it goes, or on the relay that joined for them")
                    .containsEntry(alice.participantId(), "@home").containsEntry(bob.participantId(), us.id)
                    .containsEntry(carol.participantId(), "@home");

            carol.socket().send(msg("media-offer", "bad").put("sdp", "v=0\r\noffer\r\n").put("region", "Not A Region!"));
            JsonNode error = carol.socket().until("error");
            assertThat(error.path("code").asText()).isEqualTo("invalid");
            assertThat(error.path("ref").asText()).isEqualTo("bad");
            assertThat(eu.offersIn(roomId) + us.offersIn(roomId)).as("nothing reached a relay").isEqualTo(5);
        }
    }

    @Test
    void whenARelayThatJoinedTheRoomDiesOnlyItsParticipantsRestartAndTheyArePlacedAfresh() throws Exception {
        StandInRelay eu = relay(EU, 0.3);
        StandInRelay us = relay(US, 0.1);
        StandInRelay otherUs = relay(US, 0.6);
        String roomId = createRoom(DemoUser.ALICE);
        rooms.add(roomId);
        admit(DemoUser.BOB, roomId);
        try (Member alice = joinAs(DemoUser.ALICE, roomId); Member bob = joinAs(DemoUser.BOB, roomId)) {
            offer(alice, EU);
            offer(bob, US);
            assertThat(us.offersIn(roomId)).isEqualTo(1);

            us.lastBeatAgo(10_000); // still registered, but silent for longer than relay-staleness

            JsonNode restart = bob.socket().until("media-restart");
            assertThat(restart.path("reason").asText()).isEqualTo("relay-lost");
            assertThat(restart.has("participants") || restart.has("fromRelay"))
                    .as("which relay and whom: the servers' business: " + restart).isFalse();
            alice.socket().assertNothingWithin(Duration.ofMillis(1500));
            bob.socket().assertNothingWithin(Duration.ZERO);
            assertThat(redis.value(String.class).get("parley:room-relay:" + roomId))
                    .as("the room stays on its relay").isEqualTo(eu.id);
            assertThat(redis.hash(String.class).hgetall("parley:room-participant-relay:" + roomId))
                    .as("bob's placement is forgotten, alice's kept")
                    .doesNotContainKey(bob.participantId()).containsEntry(alice.participantId(), "@home");

            offer(bob, US);
            assertThat(otherUs.offersIn(roomId)).as("bob's next offer goes to the live relay of his region").isEqualTo(1);
            assertThat(us.offersIn(roomId)).isEqualTo(1);
            assertThat(peers(otherUs)).containsExactly(eu.id);
        }
    }

    @Test
    void anOfferOnAConnectionToARelayThatIsGoneIsRefusedAndItsParticipantRestarts() {
        StandInRelay eu = relay(EU, 0.3);
        StandInRelay us = relay(US, 0.1);
        String roomId = createRoom(DemoUser.ALICE);
        rooms.add(roomId);
        admit(DemoUser.BOB, roomId);
        try (Member alice = joinAs(DemoUser.ALICE, roomId); Member bob = joinAs(DemoUser.BOB, roomId)) {
            offer(alice, EU);
            offer(bob, US);
            us.server.stop(0); // dead, though its registration still looks live (it never goes stale)

            bob.socket().send(msg("media-offer", "again").put("sdp", "v=0\r\noffer\r\n").put("region", US));
            JsonNode refused = bob.socket().until("error");
            assertThat(refused.path("code").asText()).isEqualTo("media-unavailable");
            assertThat(refused.path("ref").asText()).isEqualTo("again");
            assertThat(bob.socket().until("media-restart").path("reason").asText()).isEqualTo("relay-lost");
            alice.socket().assertNothingWithin(Duration.ofMillis(1500));
            assertThat(us.offersIn(roomId)).isEqualTo(1);
            assertThat(eu.offersIn(roomId)).isEqualTo(1);
        }
    }

    /** The {@code peers} of the relay's last session request, by relay id. */
    private static List<String> peers(StandInRelay relay) throws Exception {
        JsonNode body = CallFixtures.JSON.readTree(relay.bodies.get(relay.bodies.size() - 1));
        List<String> ids = new ArrayList<>();
        body.path("peers").forEach(peer -> {
            ids.add(peer.path("relayId").asText());
            assertThat(peer.path("controlUrl").asText()).startsWith("http://127.0.0.1:");
        });
        return ids;
    }

    private void offer(Member member, String region) {
        var message = msg("media-offer", "m").put("sdp", "v=0\r\noffer\r\n");
        if (region != null) {
            message.put("region", region);
        }
        member.socket().send(message);
        assertThat(member.socket().until("media-answer").path("sdp").asText()).isEqualTo("v=0\r\nanswer\r\n");
    }

    private StandInRelay relay(String region, double stress) {
        StandInRelay relay = new StandInRelay(redis, region);
        relays.add(relay);
        relay.register(stress, false);
        return relay;
    }
}
