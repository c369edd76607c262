package dev.parley.system;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.testing.DemoUser;
import dev.parley.testing.JsonSocket;
import dev.parley.testing.Keycloak;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static dev.parley.testing.JsonSocket.message;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One call served by three signaling processes at once, and one of them killed mid-call: the
 * issue's acceptance story for horizontal scale.
 */
@ExtendWith(RunningSystem.Extension.class)
class ThreeReplicaCallIT {

    private static final Duration QUIET = Duration.ofSeconds(2);

    @Test
    void threeReplicasServeOneCallAndSurviveTheLossOfOne(RunningSystem system) throws Exception {
        ServiceProcess first = system.service("signaling");
        ServiceProcess second = system.startReplica("signaling");
        ServiceProcess third = system.startReplica("signaling");
        try {
            String aliceToken = Keycloak.accessToken(DemoUser.ALICE);
            String bobToken = Keycloak.accessToken(DemoUser.BOB);
            String roomId = given().baseUri(first.url()).auth().oauth2(aliceToken).contentType(ContentType.JSON)
                    .body(Map.of("name", "Three replicas", "lobby", true))
                    .when().post("/api/v1/rooms").then().statusCode(201).extract().path("id");
            String bobInvite = invite(first, aliceToken, roomId, "participant");
            given().baseUri(second.url()).auth().oauth2(bobToken).contentType(ContentType.JSON).body(Map.of())
                    .when().post("/api/v1/invites/" + bobInvite + "/redeem").then().statusCode(200);
            String guestToken = redeemAsGuest(third, invite(first, aliceToken, roomId, "guest"), "Gwen Guest");
            String stayToken = redeemAsGuest(second, invite(first, aliceToken, roomId, "guest"), "Sam Stays-Away");

            // alice (host) on replica 1, bob on replica 2.
            JsonSocket alice = JsonSocket.welcomed(first.url(), "/ws/v1", aliceToken, "alice");
            JsonNode aliceJoined = join(alice, roomId, "joined");
            JsonSocket bob = JsonSocket.welcomed(second.url(), "/ws/v1", bobToken, "bob");
            JsonNode bobJoined = join(bob, roomId, "joined");
            assertThat(alice.expect("participant-joined").path("seq").asLong()).isEqualTo(bobJoined.path("seq").asLong());

            // The guest, on replica 3, waits in the lobby until alice admits them.
            JsonSocket guest = JsonSocket.welcomed(third.url(), "/ws/v1", guestToken, "guest");
            join(guest, roomId, "lobby");
            String guestUser = alice.expect("lobby-entered").path("userId").asText();
            alice.send(message("admit").put("userId", guestUser));
            assertThat(alice.expect("lobby-left").path("outcome").asText()).isEqualTo("admitted");
            guest.expect("admitted");
            JsonNode guestJoined = join(guest, roomId, "joined");
            JsonNode seenByAlice = alice.expect("participant-joined");
            JsonNode seenByBob = bob.expect("participant-joined");
            assertThat(seenByBob).isEqualTo(seenByAlice);
            assertThat(seenByAlice.path("seq").asLong()).isEqualTo(guestJoined.path("seq").asLong());

            // One roster for all: what the guest got, and what alice and bob built from events.
            List<String> roster = ids(guestJoined.path("roster"));
            assertThat(roster).containsExactly(participant(aliceJoined), participant(bobJoined), participant(guestJoined));
            List<String> aliceView = new ArrayList<>(ids(aliceJoined.path("roster")));
            aliceView.add(participant(bobJoined));
            aliceView.add(seenByAlice.path("participant").path("participantId").asText());
            assertThat(aliceView).isEqualTo(roster);

            // Everyone sends at once from three replicas; everyone receives the same order.
            List<JsonSocket> members = List.of(alice, bob, guest);
            for (int round = 0; round < 5; round++) {
                for (int i = 0; i < members.size(); i++) {
                    members.get(i).send(payload("member " + i + " round " + round));
                }
            }
            List<String> order = receivedPayloads(alice, 15);
            assertThat(receivedPayloads(bob, 15)).isEqualTo(order);
            assertThat(receivedPayloads(guest, 15)).isEqualTo(order);

            // alice removes the guest: disconnected on replica 3, and their token is worthless.
            alice.send(message("remove").put("participantId", participant(guestJoined)));
            guest.expect("removed");
            assertThat(guest.closeCode(Duration.ofSeconds(5))).isEqualTo(4003);
            for (JsonSocket member : List.of(alice, bob)) {
                JsonNode left = member.expect("participant-left");
                assertThat(left.path("reason").asText()).isEqualTo("removed");
            }
            try (JsonSocket again = JsonSocket.welcomed(second.url(), "/ws/v1", guestToken, "guest-again")) {
                again.send(message("join").put("roomId", roomId).put("id", "again"));
                assertThat(again.expect("error").path("code").asText()).isEqualTo("removed");
            }

            // Sam (a second guest, no lobby wait now: alice admits) sits on replica 2 with bob.
            JsonSocket sam = JsonSocket.welcomed(second.url(), "/ws/v1", stayToken, "sam");
            join(sam, roomId, "lobby");
            alice.send(message("admit").put("userId", alice.expect("lobby-entered").path("userId").asText()));
            alice.expect("lobby-left");
            sam.expect("admitted");
            JsonNode samJoined = join(sam, roomId, "joined");
            alice.expect("participant-joined");
            bob.expect("participant-joined");

            // Replica 2 dies. bob resumes on replica 3; sam never comes back.
            long lastSeq = samJoined.path("seq").asLong();
            second.kill();
            long killedAt = System.nanoTime();
            assertThat(bob.closeCode(Duration.ofSeconds(5))).isNotEqualTo(1000);
            JsonSocket bobAgain = JsonSocket.welcomed(third.url(), "/ws/v1", bobToken, "bob-again");
            JsonNode resumed = resume(bobAgain, bobJoined.path("resumeToken").asText(), lastSeq);
            assertThat(participant(resumed)).isEqualTo(participant(bobJoined));
            assertThat(ids(resumed.path("roster"))).contains(participant(samJoined));

            // Presence keeps both in the call meanwhile: bob resumed, sam may still.
            assertPresence(system, aliceToken, userOf(bobJoined), "in-call", roomId);
            assertPresence(system, aliceToken, userOf(samJoined), "in-call", roomId);

            // alice sees no leave and no join for bob; sam times out after the grace period.
            JsonNode next = alice.poll(RunningSystem.RESUME_GRACE.plusSeconds(10));
            assertThat(next).as("sam's departure").isNotNull();
            assertThat(next.path("type").asText()).isEqualTo("participant-left");
            assertThat(next.path("participantId").asText()).isEqualTo(participant(samJoined));
            assertThat(next.path("reason").asText()).isEqualTo("timed-out");
            assertThat(Duration.ofNanos(System.nanoTime() - killedAt)).isGreaterThanOrEqualTo(RunningSystem.RESUME_GRACE);
            assertThat(bobAgain.expect("participant-left").path("participantId").asText()).isEqualTo(participant(samJoined));
            assertThat(alice.poll(QUIET)).as("nothing about bob").isNull();
            // Presence agrees: sam, whose only connection died with replica 2, is offline; bob is still in the call.
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                    assertPresence(system, aliceToken, userOf(samJoined), "offline", null));
            assertPresence(system, aliceToken, userOf(bobJoined), "in-call", roomId);

            // And the resumed bob is fully back: both directions.
            bobAgain.send(payload("bob is back"));
            assertThat(alice.expect("payload").path("from").asText()).isEqualTo(participant(bobJoined));
            bobAgain.expect("payload");
            alice.send(payload("welcome back"));
            assertThat(bobAgain.expect("payload").path("from").asText()).isEqualTo(participant(aliceJoined));

            alice.close();
            bobAgain.close();
        } finally {
            second.close();
            third.close();
        }
    }

    private static String userOf(JsonNode joined) {
        return joined.path("you").path("userId").asText();
    }

    /**
     * Presence follows signaling's events through its own consumer group, which may still be
     * settling after earlier system tests restarted it: wait for the expected status, a few seconds.
     */
    private static void assertPresence(RunningSystem system, String token, String userId, String status, String roomId) {
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            JsonNode presence = given().baseUri(system.service("presence").url()).auth().oauth2(token)
                    .when().get("/api/v1/presence/users/" + userId).then().statusCode(200).extract().as(JsonNode.class);
            assertThat(presence.path("status").asText()).as(presence.toString()).isEqualTo(status);
            if (roomId != null) {
                assertThat(presence.path("roomId").asText()).isEqualTo(roomId);
            }
        });
    }

    private static String invite(ServiceProcess signaling, String token, String roomId, String role) {
        return given().baseUri(signaling.url()).auth().oauth2(token).contentType(ContentType.JSON)
                .body(Map.of("role", role, "maxUses", 1))
                .when().post("/api/v1/rooms/" + roomId + "/invites").then().statusCode(201).extract().path("code");
    }

    private static String redeemAsGuest(ServiceProcess signaling, String code, String name) {
        return given().baseUri(signaling.url()).contentType(ContentType.JSON).body(Map.of("displayName", name))
                .when().post("/api/v1/invites/" + code + "/redeem").then().statusCode(200).extract().path("guestToken");
    }

    private static JsonNode join(JsonSocket client, String roomId, String answer) {
        client.send(message("join").put("roomId", roomId));
        return client.expect(answer);
    }

    private static JsonNode payload(String text) {
        return message("send").put("kind", "mls-application")
                .put("data", Base64.getEncoder().encodeToString(text.getBytes()));
    }

    private static List<String> receivedPayloads(JsonSocket client, int count) {
        List<String> order = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            JsonNode payload = client.expect("payload");
            order.add(payload.path("seq").asLong() + " " + payload.path("from").asText() + " " + payload.path("data").asText());
        }
        return order;
    }

    private static String participant(JsonNode joined) {
        return joined.path("you").path("participantId").asText();
    }

    private static List<String> ids(JsonNode roster) {
        List<String> ids = new ArrayList<>();
        roster.forEach(entry -> ids.add(entry.path("participantId").asText()));
        return ids;
    }

    /**
     * Resumes as a client must (docs/protocol.md, "resume"): {@code unavailable} means the room was
     * busy, here possibly for as long as the killed replica's lock on it lasts, and the place is
     * kept, so the client asks again. The server waits before answering {@code unavailable}, so
     * asking again at once does not spin.
     */
    private static JsonNode resume(JsonSocket socket, String resumeToken, long lastSeq) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            socket.send(message("resume").put("id", "r").put("resumeToken", resumeToken).put("lastSeq", lastSeq));
            JsonNode answer = socket.next();
            boolean busy = "error".equals(answer.path("type").asText()) && "unavailable".equals(answer.path("code").asText());
            if (!busy || System.nanoTime() > deadline) {
                assertThat(answer.path("type").asText()).as("the answer to resume: " + answer).isEqualTo("resumed");
                return answer;
            }
        }
    }
}
