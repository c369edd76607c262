package dev.parley.signaling.call;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.signaling.call.CallFixtures.Call;
import dev.parley.signaling.call.CallFixtures.Client;
import dev.parley.signaling.call.CallFixtures.Member;
import dev.parley.testing.DemoUser;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static dev.parley.signaling.call.CallFixtures.admit;
import static dev.parley.signaling.call.CallFixtures.call;
import static dev.parley.signaling.call.CallFixtures.createRoom;
import static dev.parley.signaling.call.CallFixtures.guestToken;
import static dev.parley.signaling.call.CallFixtures.invite;
import static dev.parley.signaling.call.CallFixtures.join;
import static dev.parley.signaling.call.CallFixtures.joinAs;
import static dev.parley.signaling.call.CallFixtures.msg;
import static dev.parley.signaling.call.CallFixtures.payload;
import static dev.parley.signaling.call.CallFixtures.token;
import static dev.parley.signaling.call.CallFixtures.welcomed;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A call on one replica, through the protocol's happy paths: lobby, roster, ordered payloads,
 * hands, host controls, removal, resume and the grace period. {@code ThreeReplicaCallIT} in
 * tests/system runs the same story across three processes.
 */
@QuarkusTest
class CallFlowIT {

    private static List<String> roster(JsonNode joined) {
        List<String> ids = new ArrayList<>();
        joined.path("roster").forEach(entry -> ids.add(entry.path("participantId").asText()));
        return ids;
    }

    @Test
    void aGuestWaitsInTheLobbyIsAdmittedAndEveryoneSeesTheSameRosterAndPayloadOrder() {
        String roomId = createRoom(DemoUser.ALICE, Map.of("name", "Lobby flow", "lobby", true));
        admit(DemoUser.BOB, roomId);
        try (Member alice = joinAs(DemoUser.ALICE, roomId);
             Member bob = joinAs(DemoUser.BOB, roomId)) {
            assertThat(alice.joined().path("you").path("role").asText()).isEqualTo("host");
            assertThat(bob.joined().path("you").path("role").asText()).isEqualTo("participant");
            assertThat(alice.socket().expect("participant-joined").path("participant").path("participantId").asText())
                    .isEqualTo(bob.participantId());

            String graceToken = guestToken(roomId, "Grace Guest");
            Client guest = welcomed(graceToken, "grace");
            guest.send(CallFixtures.join(roomId, "g1"));
            assertThat(guest.expect("lobby").path("ref").asText()).isEqualTo("g1");
            JsonNode waiting = alice.socket().expect("lobby-entered");
            assertThat(waiting.path("displayName").asText()).isEqualTo("Grace Guest");
            bob.socket().assertNothingWithin(Duration.ofMillis(300)); // the lobby is for hosts' eyes

            alice.socket().send(msg("admit", "a1").put("userId", guest.userId()));
            assertThat(alice.socket().expect("lobby-left").path("outcome").asText()).isEqualTo("admitted");
            guest.expect("admitted");
            Member grace = join(guest, roomId);
            assertThat(grace.joined().path("you").path("role").asText()).isEqualTo("guest");
            assertThat(grace.joined().path("you").path("verified").asBoolean()).isFalse();

            JsonNode joinedOfAlice = alice.socket().expect("participant-joined");
            JsonNode joinedOfBob = bob.socket().expect("participant-joined");
            assertThat(joinedOfAlice.path("seq").asLong()).isEqualTo(grace.joined().path("seq").asLong());
            assertThat(joinedOfBob).isEqualTo(joinedOfAlice);
            assertThat(roster(grace.joined()))
                    .containsExactly(alice.participantId(), bob.participantId(), grace.participantId());

            // Everyone sends at once; everyone receives all fifteen payloads in one order.
            List<Member> members = List.of(alice, bob, grace);
            for (int round = 0; round < 5; round++) {
                for (Member member : members) {
                    member.socket().send(payload("m" + round, member.participantId() + "/" + round));
                }
            }
            List<List<String>> seen = new ArrayList<>();
            for (Member member : members) {
                List<String> order = new ArrayList<>();
                for (int i = 0; i < 15; i++) {
                    JsonNode received = member.socket().expect("payload");
                    order.add(received.path("seq").asLong() + ":" + received.path("from").asText() + ":"
                            + received.path("data").asText());
                    if (received.path("from").asText().equals(member.participantId())) {
                        assertThat(received.path("ref").asText()).startsWith("m");
                    } else {
                        assertThat(received.has("ref")).isFalse();
                    }
                }
                seen.add(order);
            }
            assertThat(seen.get(1)).isEqualTo(seen.get(0));
            assertThat(seen.get(2)).isEqualTo(seen.get(0));
            // Relayed byte for byte: signaling does not touch what it cannot read.
            List<String> sent = new ArrayList<>();
            for (int round = 0; round < 5; round++) {
                for (Member member : members) {
                    sent.add(member.participantId() + "/" + round);
                }
            }
            assertThat(seen.get(0).stream().map(entry -> new String(Base64.getDecoder()
                    .decode(entry.substring(entry.lastIndexOf(':') + 1)), StandardCharsets.UTF_8)))
                    .containsExactlyInAnyOrderElementsOf(sent);

            // The host removes the guest: disconnected, and their token no longer lets them in.
            alice.socket().send(msg("remove", "r1").put("participantId", grace.participantId()));
            JsonNode removed = grace.socket().expect("removed");
            assertThat(removed.path("by").asText()).isEqualTo(alice.userId());
            assertThat(grace.socket().closeCode(Duration.ofSeconds(5))).isEqualTo(CloseCodes.REMOVED);
            for (Member member : List.of(alice, bob)) {
                JsonNode left = member.socket().expect("participant-left");
                assertThat(left.path("participantId").asText()).isEqualTo(grace.participantId());
                assertThat(left.path("reason").asText()).isEqualTo("removed");
            }
            try (Client again = welcomed(graceToken, "again")) {
                again.send(CallFixtures.join(roomId, "j2"));
                again.expectError("removed", "j2");
            }
        }
    }

    @Test
    void aRemovedSsoUserCannotComeBackWithTheSameInviteButCanWithANewOne() {
        String roomId = createRoom(DemoUser.ALICE, Map.of("name", "Removal"));
        String code = invite(DemoUser.ALICE, roomId, "participant");
        redeem(DemoUser.BOB, code, 200);
        try (Member alice = joinAs(DemoUser.ALICE, roomId)) {
            Member bob = joinAs(DemoUser.BOB, roomId);
            alice.socket().expect("participant-joined");
            alice.socket().send(msg("remove", "r").put("participantId", bob.participantId()));
            bob.socket().expect("removed");
            assertThat(bob.socket().closeCode(Duration.ofSeconds(5))).isEqualTo(CloseCodes.REMOVED);

            redeem(DemoUser.BOB, code, 403);
            try (Client back = welcomed(DemoUser.BOB)) {
                back.send(CallFixtures.join(roomId, "j"));
                back.expectError("removed", "j");
            }
            redeem(DemoUser.BOB, invite(DemoUser.ALICE, roomId, "participant"), 200);
            try (Member again = joinAs(DemoUser.BOB, roomId)) {
                assertThat(again.joined().path("you").path("role").asText()).isEqualTo("participant");
            }
        }
    }

    private static void redeem(DemoUser user, String code, int status) {
        given().auth().oauth2(token(user)).contentType(ContentType.JSON).body(Map.of())
                .when().post("/api/v1/invites/" + code + "/redeem").then().statusCode(status);
    }

    @Test
    void handsMuteRequestsPromotionLockAndEndReachTheRightPeople() {
        try (Call call = call()) {
            Client alice = call.alice();
            Client bob = call.bob();
            bob.send(msg("raise-hand", null));
            for (Client member : List.of(alice, bob)) {
                JsonNode hand = member.expect("hand-changed");
                assertThat(hand.path("participantId").asText()).isEqualTo(call.member().participantId());
                assertThat(hand.path("raised").asBoolean()).isTrue();
            }

            alice.send(msg("mute", null).put("participantId", call.member().participantId()).put("media", "audio"));
            JsonNode mute = bob.expect("mute-requested");
            assertThat(mute.path("media").asText()).isEqualTo("audio");
            assertThat(mute.path("by").asText()).isEqualTo(call.host().userId());

            alice.send(msg("promote", null).put("participantId", call.member().participantId()));
            for (Client member : List.of(alice, bob)) {
                assertThat(member.expect("role-changed").path("role").asText()).isEqualTo("host");
            }
            alice.assertNothingWithin(Duration.ofMillis(200)); // the mute request went to bob only

            admit(DemoUser.CAROL, call.roomId(), DemoUser.ALICE); // invited, but the lock comes first
            bob.send(msg("lock", null)); // bob is a host now
            for (Client member : List.of(alice, bob)) {
                assertThat(member.expect("room-locked").path("locked").asBoolean()).isTrue();
            }
            try (Client carol = welcomed(DemoUser.CAROL)) {
                carol.send(CallFixtures.join(call.roomId(), "c"));
                carol.expectError("room-locked", "c");
            }

            alice.send(msg("end-call", null));
            for (Client member : List.of(alice, bob)) {
                member.expect("room-ended");
                assertThat(member.closeCode(Duration.ofSeconds(5))).isEqualTo(CloseCodes.ROOM_ENDED);
            }
        }
    }

    @Test
    void aDroppedParticipantResumesWithinTheGracePeriodAndGetsWhatTheyMissed() {
        try (Call call = call()) {
            Client alice = call.alice();
            long lastSeq = call.member().joined().path("seq").asLong();
            call.bob().drop();
            alice.send(payload("while-away", "for bob"));
            JsonNode sent = alice.expect("payload");

            try (Client bob = welcomed(DemoUser.BOB)) {
                bob.send(msg("resume", "r").put("resumeToken", call.member().resumeToken()).put("lastSeq", lastSeq));
                JsonNode resumed = bob.expect("resumed");
                assertThat(resumed.path("you").path("participantId").asText()).isEqualTo(call.member().participantId());
                assertThat(resumed.path("resumeToken").asText()).isNotEqualTo(call.member().resumeToken());
                JsonNode missed = bob.expect("payload");
                assertThat(missed.path("seq").asLong()).isEqualTo(sent.path("seq").asLong());
                assertThat(missed.path("data").asText()).isEqualTo(sent.path("data").asText());

                alice.assertNothingWithin(Duration.ofSeconds(4)); // longer than the 3 s grace: no leave, no join
                bob.send(payload("back", "hello again"));
                assertThat(alice.expect("payload").path("from").asText()).isEqualTo(call.member().participantId());
            }
        }
    }

    @Test
    void aParticipantWhoDoesNotComeBackLeavesAfterTheGracePeriod() {
        try (Call call = call()) {
            long droppedAt = System.nanoTime();
            call.bob().drop();
            JsonNode left = call.alice().poll(Duration.ofSeconds(10));
            assertThat(left).isNotNull();
            assertThat(left.path("type").asText()).isEqualTo("participant-left");
            assertThat(left.path("reason").asText()).isEqualTo("timed-out");
            assertThat(Duration.ofNanos(System.nanoTime() - droppedAt)).isGreaterThanOrEqualTo(Duration.ofSeconds(3));

            try (Client bob = welcomed(DemoUser.BOB)) {
                bob.send(msg("resume", "r").put("resumeToken", call.member().resumeToken()));
                bob.expectError("resume-failed", "r");
            }
        }
    }

    @Test
    void aHostCanDenyAGuestInTheLobby() {
        String roomId = createRoom(DemoUser.ALICE, Map.of("name", "Deny", "lobby", true));
        try (Member alice = joinAs(DemoUser.ALICE, roomId)) {
            Client guest = CallFixtures.guestInLobby(roomId, "Mallory", alice);
            alice.socket().send(msg("deny", null).put("userId", guest.userId()));
            assertThat(alice.socket().expect("lobby-left").path("outcome").asText()).isEqualTo("denied");
            guest.expect("denied");
            assertThat(guest.closeCode(Duration.ofSeconds(5))).isEqualTo(CloseCodes.DENIED);
        }
    }
}
