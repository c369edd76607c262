package dev.parley.signaling.call;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.signaling.call.CallFixtures.Member;
import dev.parley.testing.DemoUser;
import dev.parley.testing.Keycloak;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.parley.signaling.call.CallFixtures.admit;
import static dev.parley.signaling.call.CallFixtures.createRoom;
import static dev.parley.signaling.call.CallFixtures.joinAs;
import static dev.parley.signaling.call.CallFixtures.msg;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Media negotiation through signaling against a stand-in relay ({@link FakeRelay}): the offer
 * reaches the relay with signaling's service-account token, the answer reaches the client, what a
 * participant publishes reaches everyone as {@code media-tracks} and newcomers in the roster, and
 * the relay's refusals become typed errors.
 */
@QuarkusTest
@QuarkusTestResource(value = FakeRelay.class, restrictToAnnotatedClass = true)
class CallMediaIT {

    private static final String ANSWER = """
            {"sdp": "v=0\\r\\nanswer\\r\\n",
             "published": [{"trackId": "0", "kind": "audio", "source": "microphone"},
                           {"trackId": "1", "kind": "video", "source": "camera"}],
             "subscriptions": [{"mid": "2", "participantId": "p-aaaaaaaaaaaaaaaaaaaaaaaaaa", "trackId": "1",
                                "kind": "video", "source": "camera"}]}""";

    @BeforeEach
    void reset() {
        FakeRelay.REQUESTS.clear();
        FakeRelay.reply = new FakeRelay.Reply(200, ANSWER);
    }

    @Test
    void anOfferIsAnsweredAndThePublishedTracksReachEveryone() {
        String roomId = createRoom(DemoUser.ALICE);
        admit(DemoUser.BOB, roomId);
        try (Member alice = joinAs(DemoUser.ALICE, roomId);
             Member bob = joinAs(DemoUser.BOB, roomId)) {
            alice.socket().expect("participant-joined");
            alice.socket().send(msg("media-offer", "m1").put("sdp", "v=0\r\noffer\r\n")
                    .set("sources", CallFixtures.JSON.valueToTree(Map.of("1", "camera"))));
            // The answer and Alice's own media-tracks event travel separate ways: either may come first.
            Map<String, JsonNode> received = new HashMap<>();
            for (int i = 0; i < 2; i++) {
                JsonNode message = alice.socket().next();
                received.put(message.path("type").asText(), message);
            }
            assertThat(received).containsOnlyKeys("media-answer", "media-tracks");
            JsonNode answer = received.get("media-answer");
            assertThat(answer.path("ref").asText()).isEqualTo("m1");
            assertThat(answer.path("sdp").asText()).isEqualTo("v=0\r\nanswer\r\n");
            assertThat(answer.path("subscriptions").get(0).path("mid").asText()).isEqualTo("2");

            FakeRelay.Request request = FakeRelay.REQUESTS.get(0);
            assertThat(request.method()).isEqualTo("PUT");
            assertThat(request.path()).isEqualTo("/api/v1/rooms/" + roomId + "/participants/" + alice.participantId()
                    + "/session");
            assertThat(request.body().path("sdp").asText()).isEqualTo("v=0\r\noffer\r\n");
            assertThat(request.body().path("sources").path("1").asText()).isEqualTo("camera");
            String bearer = request.authorization().substring("Bearer ".length());
            assertThat(Keycloak.claims(bearer).path("preferred_username").asText())
                    .isEqualTo("service-account-parley-services");

            for (JsonNode tracks : List.of(received.get("media-tracks"), bob.socket().expect("media-tracks"))) {
                assertThat(tracks.path("participantId").asText()).isEqualTo(alice.participantId());
                assertThat(tracks.path("tracks").findValuesAsText("source")).containsExactly("microphone", "camera");
            }

            // The same tracks again: no event. A newcomer finds them in the roster.
            alice.socket().send(msg("media-offer", "m2").put("sdp", "v=0\r\noffer\r\n"));
            alice.socket().expect("media-answer");
            admit(DemoUser.CAROL, roomId);
            try (Member carol = joinAs(DemoUser.CAROL, roomId)) {
                JsonNode aliceInRoster = carol.joined().path("roster").get(0);
                assertThat(aliceInRoster.path("participantId").asText()).isEqualTo(alice.participantId());
                assertThat(aliceInRoster.path("tracks").findValuesAsText("trackId")).containsExactly("0", "1");
                assertThat(carol.joined().path("roster").get(1).path("tracks").size()).isZero();
                JsonNode next = bob.socket().expect("participant-joined");
                assertThat(next.path("participant").path("participantId").asText()).isEqualTo(carol.participantId());
            }
        }
    }

    @Test
    void theRelaysRefusalsAreTypedErrors() {
        String roomId = createRoom(DemoUser.ALICE);
        try (Member alice = joinAs(DemoUser.ALICE, roomId)) {
            FakeRelay.reply = new FakeRelay.Reply(400, """
                    {"title": "Invalid SDP offer", "status": 400, "detail": "no-bundle: no a=group:BUNDLE"}""");
            alice.socket().send(msg("media-offer", "m1").put("sdp", "v=0\r\n"));
            JsonNode refused = alice.socket().expect("error");
            assertThat(refused.path("code").asText()).isEqualTo("invalid-sdp");
            assertThat(refused.path("message").asText()).contains("no-bundle");
            assertThat(refused.path("ref").asText()).isEqualTo("m1");

            FakeRelay.reply = new FakeRelay.Reply(503, "{\"title\": \"Relay full\"}");
            alice.socket().send(msg("media-offer", "m2").put("sdp", "v=0\r\n"));
            assertThat(alice.socket().expect("error").path("code").asText()).isEqualTo("media-unavailable");

            FakeRelay.reply = new FakeRelay.Reply(200, "not json");
            alice.socket().send(msg("media-offer", "m3").put("sdp", "v=0\r\n"));
            assertThat(alice.socket().expect("error").path("code").asText()).isEqualTo("media-unavailable");

            alice.socket().send(msg("media-offer", "m4").put("sdp", "v=0\r\n").put("sources", "camera"));
            assertThat(alice.socket().expect("error").path("code").asText()).isEqualTo("invalid");
            alice.socket().send(msg("media-offer", "m5").put("sdp", "v=0\r\n")
                    .set("sources", CallFixtures.JSON.valueToTree(Map.of("1", "drums"))));
            assertThat(alice.socket().expect("error").path("code").asText()).isEqualTo("invalid");

            // Candidates are accepted without an answer: the relay is ICE-lite.
            alice.socket().send(msg("ice-candidate", "c1").put("candidate", "candidate:1 1 udp 1 127.0.0.1 5000 typ host"));
            alice.socket().send(msg("ping", "p1"));
            assertThat(alice.socket().expect("pong").path("ref").asText()).isEqualTo("p1");
            alice.socket().assertNothingWithin(Duration.ofMillis(300)); // no media-tracks for refused offers
        }
    }

    @Test
    void aLayoutGoesToTheRelayAndBadOnesAreTypedErrors() {
        String roomId = createRoom(DemoUser.ALICE);
        try (Member alice = joinAs(DemoUser.ALICE, roomId)) {
            FakeRelay.reply = new FakeRelay.Reply(204, "");
            alice.socket().send(msg("media-layout", "l1").set("tracks", CallFixtures.JSON.valueToTree(
                    Map.of("3", Map.of("width", 320, "height", 180), "5", Map.of("width", 0, "height", 0)))));
            alice.socket().send(msg("ping", "p1"));
            assertThat(alice.socket().expect("pong").path("ref").asText()).as("no answer to a layout").isEqualTo("p1");
            FakeRelay.Request request = FakeRelay.REQUESTS.get(0);
            assertThat(request.method()).isEqualTo("PUT");
            assertThat(request.path()).isEqualTo("/api/v1/rooms/" + roomId + "/participants/" + alice.participantId()
                    + "/layout");
            assertThat(request.body().path("tracks").path("3").path("width").asInt()).isEqualTo(320);
            assertThat(request.body().path("tracks").path("5").path("height").asInt()).isZero();

            alice.socket().send(msg("media-layout", "l2").put("tracks", "big"));
            assertThat(alice.socket().expect("error").path("code").asText()).isEqualTo("invalid");
            alice.socket().send(msg("media-layout", "l3").set("tracks", CallFixtures.JSON.valueToTree(
                    Map.of("3", Map.of("width", -1, "height", 180)))));
            assertThat(alice.socket().expect("error").path("code").asText()).isEqualTo("invalid");
            FakeRelay.reply = new FakeRelay.Reply(503, "{\"title\": \"Relay draining\"}");
            alice.socket().send(msg("media-layout", "l4").set("tracks", CallFixtures.JSON.valueToTree(
                    Map.of("3", Map.of("width", 640, "height", 360)))));
            JsonNode refused = alice.socket().expect("error");
            assertThat(refused.path("code").asText()).isEqualTo("media-unavailable");
            assertThat(refused.path("ref").asText()).isEqualTo("l4");
            assertThat(FakeRelay.REQUESTS).hasSize(2);
        }
    }
}
