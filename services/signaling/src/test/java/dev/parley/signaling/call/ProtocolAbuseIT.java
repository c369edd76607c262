package dev.parley.signaling.call;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.events.room.RoomId;
import dev.parley.signaling.call.CallFixtures.Call;
import dev.parley.signaling.call.CallFixtures.Client;
import dev.parley.signaling.call.CallFixtures.Member;
import dev.parley.testing.DemoUser;
import dev.parley.testing.Keycloak;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;

import static dev.parley.signaling.call.CallFixtures.PATIENCE;
import static dev.parley.signaling.call.CallFixtures.QUIET;
import static dev.parley.signaling.call.CallFixtures.admit;
import static dev.parley.signaling.call.CallFixtures.call;
import static dev.parley.signaling.call.CallFixtures.connect;
import static dev.parley.signaling.call.CallFixtures.createRoom;
import static dev.parley.signaling.call.CallFixtures.endViaRest;
import static dev.parley.signaling.call.CallFixtures.entry;
import static dev.parley.signaling.call.CallFixtures.guestInLobby;
import static dev.parley.signaling.call.CallFixtures.guestToken;
import static dev.parley.signaling.call.CallFixtures.hello;
import static dev.parley.signaling.call.CallFixtures.join;
import static dev.parley.signaling.call.CallFixtures.joinAs;
import static dev.parley.signaling.call.CallFixtures.lobbyOf;
import static dev.parley.signaling.call.CallFixtures.lockViaRest;
import static dev.parley.signaling.call.CallFixtures.msg;
import static dev.parley.signaling.call.CallFixtures.othersIn;
import static dev.parley.signaling.call.CallFixtures.payload;
import static dev.parley.signaling.call.CallFixtures.roomView;
import static dev.parley.signaling.call.CallFixtures.subject;
import static dev.parley.signaling.call.CallFixtures.token;
import static dev.parley.signaling.call.CallFixtures.unknownParticipantId;
import static dev.parley.signaling.call.CallFixtures.welcomed;
import static dev.parley.signaling.call.CallFixtures.witness;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Malformed and unauthorised input on the call WebSocket ({@code docs/protocol.md}): each case
 * gets its documented error code (with {@code ref} when the message had an {@code id}) or close
 * code, and leaves everything else as it was: the connection keeps working when the error is one
 * that "stays open", the others in the call receive nothing, the roster, the lock and the room
 * are unchanged.
 */
@QuarkusTest
class ProtocolAbuseIT {

    /** Bytes a {@code send} may carry at most, decoded. */
    private static final int MAX_PAYLOAD_BYTES = 64 * 1024;

    /**
     * The envelope: input that is not a message (not JSON, not an object, no string {@code type};
     * these are not messages, so no {@code ref} is expected even where an {@code id} is present),
     * unknown types, ids and sizes.
     */
    @Nested
    class Framing {

        static Stream<Named<String>> notMessages() {
            return Stream.of(
                    Named.of("bad JSON", "not json"),
                    Named.of("truncated JSON", "{\"type\":\"ping\",\"id\":"),
                    Named.of("a JSON array", "[{\"type\":\"ping\",\"id\":\"a1\"}]"),
                    Named.of("a JSON string", "\"ping\""),
                    Named.of("JSON null", "null"),
                    Named.of("an object without type", "{\"id\":\"m1\",\"v\":1}"),
                    Named.of("a numeric type", "{\"type\":42,\"id\":\"m2\"}"),
                    Named.of("an object as type", "{\"type\":{\"name\":\"ping\"},\"id\":\"m3\"}"));
        }

        @ParameterizedTest(name = "{0} is malformed")
        @MethodSource("notMessages")
        void isMalformedAndTheConnectionStaysOpen(String text) {
            try (Client carol = welcomed(DemoUser.CAROL)) {
                carol.send(text);
                carol.expectError("malformed", null);
                carol.assertAlive();
            }
        }

        @ParameterizedTest(name = "type \"{0}\"")
        @ValueSource(strings = {"teleport", "PING", "hello-again"})
        void anUnknownTypeIsRefusedWithItsRef(String type) {
            try (Client carol = welcomed(DemoUser.CAROL)) {
                carol.send(msg(type, "u1"));
                carol.expectError("unknown-type", "u1");
                carol.assertAlive();
            }
        }

        @Test
        void anOverlongIdIsEchoedOnlyInPart() {
            String id = "i".repeat(64) + "-and-then-some-" + "x".repeat(200);
            try (Client carol = welcomed(DemoUser.CAROL)) {
                carol.send(msg("teleport", id));
                String ref = carol.expectError("unknown-type", null).path("ref").asText();
                assertThat(ref).startsWith(id.substring(0, 64)).doesNotContain(id.substring(0, 65));
                carol.assertAlive();
            }
        }

        @Test
        void aMessageOverTheSizeLimitIsTooLargeAndTheConnectionStaysOpen() {
            try (Client carol = welcomed(DemoUser.CAROL)) {
                carol.send(msg("ping", "big").put("pad", "x".repeat(140_000)));
                carol.expectError("too-large", null);
                carol.assertAlive();
            }
        }

        @Test
        void theSizeLimitCountsUtf8BytesNotCharacters() {
            // 50 000 characters, 150 000 bytes: under the limit in chars, over it in bytes.
            try (Client carol = welcomed(DemoUser.CAROL)) {
                carol.send(msg("ping", "euros").put("pad", "\u20ac".repeat(50_000)));
                carol.expectError("too-large", null);
                carol.assertAlive();
            }
        }

        @Test
        void aFrameOverOneMebibyteClosesWith1009AndNoError() {
            try (Client carol = welcomed(DemoUser.CAROL)) {
                carol.trySend(msg("ping", "huge").put("pad", "x".repeat(1_100_000)).toString());
                assertThat(carol.closeCode(PATIENCE)).isEqualTo(1009);
                carol.assertNothingWithin(QUIET);
            }
        }
    }

    /** Authentication: {@code hello} and what comes before it. */
    @Nested
    class Hello {

        @Test
        void aPingBeforeHelloIsRefusedAndHelloStillWorks() {
            String token = token(DemoUser.CAROL);
            try (Client client = connect("early")) {
                client.send(msg("ping", "p0"));
                client.expectError("hello-required", "p0");
                client.send(hello(token, "h1"));
                assertThat(client.expect("welcome").path("ref").asText()).isEqualTo("h1");
                client.assertAlive();
            }
        }

        @Test
        void anUnknownTypeBeforeHelloIsHelloRequired() {
            String token = token(DemoUser.CAROL);
            try (Client client = connect("early")) {
                client.send(msg("teleport", "t0"));
                client.expectError("hello-required", "t0");
                client.send(hello(token, "h1"));
                client.expect("welcome");
            }
        }

        @Test
        void aJoinBeforeHelloIsRefusedAndJoinsNobody() {
            try (Call call = call()) {
                admit(DemoUser.DAVE, call.roomId());
                String dave = token(DemoUser.DAVE);
                try (Client early = connect("early dave")) {
                    early.send(join(call.roomId(), "j0"));
                    early.expectError("hello-required", "j0");
                    early.send(hello(dave, "h1"));
                    early.expect("welcome");
                    early.assertAlive();
                }
                call.alice().assertNothingWithin(QUIET);
                call.bob().assertNothingWithin(Duration.ZERO);
                assertThat(othersIn(witness(call.roomId())))
                        .containsExactly(call.host().participantId(), call.member().participantId());
            }
        }

        @Test
        void aSecondHelloIsRefusedAndTheFirstIdentityStays() {
            String bob = token(DemoUser.BOB);
            try (Client carol = welcomed(DemoUser.CAROL)) {
                carol.send(hello(bob, "h2"));
                carol.expectError("already-authenticated", "h2");
                carol.assertAlive();
                // Still carol: a room only bob was admitted to does not let this connection in.
                String roomId = createRoom(DemoUser.ALICE);
                admit(DemoUser.BOB, roomId);
                carol.send(join(roomId, "j1"));
                carol.expectError("not-admitted", "j1");
            }
        }

        @ParameterizedTest(name = "v = {0}")
        @ValueSource(ints = {0, 2})
        void anUnsupportedVersionIsRefusedAndClosedWith4000(int version) {
            String token = token(DemoUser.CAROL);
            try (Client client = connect("v" + version)) {
                client.send(hello(token, "hv").put("v", version));
                client.expectError("unsupported-version", "hv");
                assertThat(client.closeCode(PATIENCE)).isEqualTo(4000);
            }
        }

        static Stream<Named<Function<String, ObjectNode>>> badTokenFields() {
            return Stream.of(
                    Named.of("no token", token -> msg("hello", "hb").put("v", 1)),
                    Named.of("a numeric token", token -> msg("hello", "hb").put("v", 1).put("token", 12345)),
                    Named.of("an object token", token -> {
                        ObjectNode hello = msg("hello", "hb").put("v", 1);
                        hello.putObject("token").put("jwt", token);
                        return hello;
                    }));
        }

        @ParameterizedTest(name = "{0} is invalid")
        @MethodSource("badTokenFields")
        void aHelloWithoutAStringTokenIsInvalidAndMayBeRetried(Function<String, ObjectNode> badHello) {
            String token = token(DemoUser.CAROL);
            try (Client client = connect("tokenless")) {
                client.send(badHello.apply(token));
                client.expectError("invalid", "hb");
                client.send(hello(token, "h1"));
                client.expect("welcome");
                client.assertAlive();
            }
        }

        @Test
        void anExpiredTokenIsUnauthenticatedAndClosedWith4001() {
            String token = Keycloak.shortLivedAccessToken(DemoUser.ALICE);
            Instant expiry = Keycloak.expiry(token);
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                    .until(() -> Instant.now().isAfter(expiry.plusSeconds(1)));
            try (Client client = connect("expired")) {
                client.send(hello(token, "hx"));
                client.expectError("unauthenticated", "hx");
                assertThat(client.closeCode(PATIENCE)).isEqualTo(4001);
            }
        }

        @Test
        void aGarbageTokenIsUnauthenticatedAndClosedWith4001() {
            try (Client client = connect("garbage")) {
                client.send(hello("not-a-token-at-all", "hg"));
                client.expectError("unauthenticated", "hg");
                assertThat(client.closeCode(PATIENCE)).isEqualTo(4001);
            }
        }

        @Test
        void aGuestTokenWithAnAlteredRoomIsUnauthenticated() {
            String roomId = createRoom(DemoUser.ALICE);
            String otherRoom = createRoom(DemoUser.ALICE);
            String[] parts = guestToken(roomId, "Mallory").split("\\.");
            String claims = new String(Base64.getUrlDecoder().decode(parts[1])).replace(roomId, otherRoom);
            assertThat(claims).contains(otherRoom);
            String forged = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(claims.getBytes())
                    + "." + parts[2];
            try (Client client = connect("forger")) {
                client.send(hello(forged, "hf"));
                client.expectError("unauthenticated", "hf");
                assertThat(client.closeCode(PATIENCE)).isEqualTo(4001);
            }
        }
    }

    /** {@code join} by those who may not, or in a form that is not one. */
    @Nested
    class Joining {

        static Stream<Named<Function<String, ObjectNode>>> illFormedJoins() {
            return Stream.of(
                    Named.of("no roomId", roomId -> msg("join", "jx")),
                    Named.of("a numeric roomId", roomId -> msg("join", "jx").put("roomId", 42)),
                    Named.of("an upper-case roomId", roomId -> msg("join", "jx").put("roomId", roomId.toUpperCase())),
                    Named.of("a path as roomId", roomId -> msg("join", "jx").put("roomId", "../" + roomId)));
        }

        @ParameterizedTest(name = "{0} is invalid")
        @MethodSource("illFormedJoins")
        void anIllFormedRoomIdIsInvalidAndJoinsNothing(Function<String, ObjectNode> badJoin) {
            String roomId = createRoom(DemoUser.DAVE);
            try (Client dave = welcomed(DemoUser.DAVE)) {
                dave.send(badJoin.apply(roomId));
                dave.expectError("invalid", "jx");
                dave.assertAlive();
                // Not half in a call: a proper join still works.
                Member member = join(dave, roomId);
                assertThat(othersIn(member.joined())).isEmpty();
            }
        }

        @Test
        void aRoomThatDoesNotExistIsNotFound() {
            String nowhere = RoomId.random(new SecureRandom()).value();
            try (Client dave = welcomed(DemoUser.DAVE)) {
                dave.send(join(nowhere, "j404"));
                dave.expectError("room-not-found", "j404");
                dave.assertAlive();
            }
        }

        @Test
        void someoneNeverInvitedIsNotAdmitted() {
            try (Member alice = joinAs(DemoUser.ALICE, createRoom(DemoUser.ALICE));
                 Client carol = welcomed(DemoUser.CAROL)) {
                String roomId = alice.joined().path("room").path("id").asText();
                carol.send(join(roomId, "jc"));
                carol.expectError("not-admitted", "jc");
                carol.assertAlive();
                alice.socket().assertNothingWithin(QUIET);
                assertThat(othersIn(witness(roomId))).containsExactly(alice.participantId());
            }
        }

        @Test
        void anInviteToAnotherRoomDoesNotAdmit() {
            String invitedTo = createRoom(DemoUser.ALICE);
            admit(DemoUser.BOB, invitedTo);
            try (Member alice = joinAs(DemoUser.ALICE, createRoom(DemoUser.ALICE));
                 Client bob = welcomed(DemoUser.BOB)) {
                String roomId = alice.joined().path("room").path("id").asText();
                bob.send(join(roomId, "jb"));
                bob.expectError("not-admitted", "jb");
                bob.assertAlive();
                alice.socket().assertNothingWithin(QUIET);
                assertThat(othersIn(witness(roomId))).containsExactly(alice.participantId());
            }
        }

        @Test
        void aGuestTokenForAnotherRoomIsTheWrongRoom() {
            String guestsRoom = createRoom(DemoUser.ALICE);
            try (Member alice = joinAs(DemoUser.ALICE, createRoom(DemoUser.ALICE));
                 Client grace = welcomed(guestToken(guestsRoom, "Grace"), "Grace")) {
                String roomId = alice.joined().path("room").path("id").asText();
                grace.send(join(roomId, "jw"));
                grace.expectError("wrong-room", "jw");
                grace.assertAlive();
                alice.socket().assertNothingWithin(QUIET);
                assertThat(othersIn(witness(roomId))).containsExactly(alice.participantId());
                // The token still works for its own room (no lobby: guests enter at once).
                join(grace, guestsRoom);
            }
        }

        @Test
        void joiningTheSameCallTwiceIsAlreadyJoined() {
            try (Call call = call()) {
                call.bob().send(join(call.roomId(), "again"));
                call.bob().expectError("already-joined", "again");
                call.bob().assertAlive();
                call.alice().assertNothingWithin(QUIET);
                assertThat(othersIn(witness(call.roomId())))
                        .containsExactly(call.host().participantId(), call.member().participantId());
            }
        }

        @Test
        void joiningASecondCallOnOneConnectionIsAlreadyJoined() {
            String otherRoom = createRoom(DemoUser.ALICE);
            try (Call call = call()) {
                call.alice().send(join(otherRoom, "elsewhere"));
                call.alice().expectError("already-joined", "elsewhere");
                call.alice().assertAlive();
                call.bob().assertNothingWithin(QUIET);
                assertThat(othersIn(witness(otherRoom))).isEmpty();
                assertThat(othersIn(witness(call.roomId())))
                        .containsExactly(call.host().participantId(), call.member().participantId());
            }
        }

        @Test
        void joiningAgainFromTheLobbyIsAlreadyJoined() {
            String roomId = createRoom(DemoUser.ALICE, Map.of("name", "Lobby", "lobby", true));
            try (Member alice = joinAs(DemoUser.ALICE, roomId);
                 Client gina = guestInLobby(roomId, "Gina", alice)) {
                gina.send(join(roomId, "jump"));
                gina.expectError("already-joined", "jump");
                gina.assertAlive();
                alice.socket().assertNothingWithin(QUIET);
                JsonNode seen = witness(roomId);
                assertThat(othersIn(seen)).containsExactly(alice.participantId());
                assertThat(lobbyOf(seen)).containsExactly(gina.userId());
            }
        }

        @ParameterizedTest(name = "{0}")
        @EnumSource(value = DemoUser.class, names = {"ALICE", "BOB"})
        void anEndedRoomCannotBeJoinedEvenByItsHost(DemoUser who) {
            String roomId = createRoom(DemoUser.ALICE);
            admit(DemoUser.BOB, roomId);
            endViaRest(roomId);
            try (Client client = welcomed(who)) {
                client.send(join(roomId, "late"));
                client.expectError("room-ended", "late");
                client.assertAlive();
            }
        }

        @Test
        void aLockedRoomRefusesAdmittedNonHostsButNotItsHost() {
            String roomId = createRoom(DemoUser.ALICE);
            admit(DemoUser.BOB, roomId);
            lockViaRest(roomId);
            try (Member alice = joinAs(DemoUser.ALICE, roomId);
                 Client bob = welcomed(DemoUser.BOB)) {
                assertThat(alice.joined().path("room").path("locked").asBoolean()).isTrue();
                bob.send(join(roomId, "knock"));
                bob.expectError("room-locked", "knock");
                bob.assertAlive();
                alice.socket().assertNothingWithin(QUIET);
                JsonNode seen = witness(roomId);
                assertThat(othersIn(seen)).containsExactly(alice.participantId());
                assertThat(seen.path("room").path("locked").asBoolean()).isTrue();
            }
        }

        @Test
        void aFullRoomRefusesTheNextAndLeavesNoGhost() {
            try (Call call = call(Map.of("name", "Two only", "maxParticipants", 2))) {
                admit(DemoUser.DAVE, call.roomId());
                try (Client dave = welcomed(DemoUser.DAVE)) {
                    dave.send(join(call.roomId(), "third"));
                    dave.expectError("room-full", "third");
                    dave.assertAlive();
                    call.alice().assertNothingWithin(QUIET);
                    call.bob().assertNothingWithin(Duration.ZERO);

                    call.bob().send(msg("leave", "bye"));
                    assertThat(call.bob().expect("left").path("ref").asText()).isEqualTo("bye");
                    assertThat(call.alice().expect("participant-left").path("reason").asText()).isEqualTo("left");
                    Member admitted = join(dave, call.roomId());
                    assertThat(othersIn(admitted.joined())).containsExactly(call.host().participantId());
                }
            }
        }

        @Test
        void aGuestDeniedInTheLobbyCannotComeBackWithTheSameToken() {
            String roomId = createRoom(DemoUser.ALICE, Map.of("name", "Strict lobby", "lobby", true));
            String token = guestToken(roomId, "Mallory");
            try (Member alice = joinAs(DemoUser.ALICE, roomId)) {
                String malloryId;
                try (Client mallory = welcomed(token, "Mallory")) {
                    malloryId = mallory.userId();
                    mallory.send(join(roomId, "knock"));
                    mallory.expect("lobby");
                    alice.socket().expect("lobby-entered");
                    alice.socket().send(msg("deny", "no").put("userId", malloryId));
                    mallory.expect("denied");
                    assertThat(mallory.closeCode(PATIENCE)).isEqualTo(4004);
                    JsonNode left = alice.socket().expect("lobby-left");
                    assertThat(left.path("outcome").asText()).isEqualTo("denied");
                }
                try (Client mallory = welcomed(token, "Mallory again")) {
                    mallory.send(join(roomId, "again"));
                    mallory.expectError("removed", "again");
                    mallory.assertAlive();
                }
                alice.socket().assertNothingWithin(QUIET);
                JsonNode seen = witness(roomId);
                assertThat(othersIn(seen)).containsExactly(alice.participantId());
                assertThat(lobbyOf(seen)).isEmpty();
            }
        }

        @Test
        void aRemovedParticipantCannotJoinAgain() {
            try (Call call = call()) {
                call.alice().send(msg("remove", "rm").put("participantId", call.member().participantId()));
                call.bob().expect("removed");
                assertThat(call.bob().closeCode(PATIENCE)).isEqualTo(4003);
                JsonNode left = call.alice().expect("participant-left");
                assertThat(left.path("participantId").asText()).isEqualTo(call.member().participantId());
                assertThat(left.path("reason").asText()).isEqualTo("removed");

                try (Client bob = welcomed(DemoUser.BOB)) {
                    bob.send(join(call.roomId(), "back"));
                    bob.expectError("removed", "back");
                    bob.assertAlive();
                }
                call.alice().assertNothingWithin(QUIET);
                assertThat(othersIn(witness(call.roomId()))).containsExactly(call.host().participantId());
            }
        }
    }

    /**
     * Every call message from a connection that has not joined: ALICE on a second device, so even
     * host controls come from a host of the room. The call of her first device sees nothing.
     */
    @Nested
    class BeforeJoining {

        static Stream<Arguments> callMessages() {
            return Stream.of(
                    callMessage("send", c -> payload("x", "hello")),
                    callMessage("leave", c -> msg("leave", "x")),
                    callMessage("raise-hand", c -> msg("raise-hand", "x")),
                    callMessage("lower-hand", c -> msg("lower-hand", "x")),
                    callMessage("media-offer", c -> msg("media-offer", "x").put("sdp", "v=0\r\n")),
                    callMessage("ice-candidate", c -> msg("ice-candidate", "x").put("candidate", "")),
                    callMessage("mute", c -> msg("mute", "x").put("participantId", c.member().participantId())
                            .put("media", "audio")),
                    callMessage("remove", c -> msg("remove", "x").put("participantId", c.member().participantId())),
                    callMessage("lock", c -> msg("lock", "x")),
                    callMessage("unlock", c -> msg("unlock", "x")),
                    callMessage("admit", c -> msg("admit", "x").put("userId", subject(DemoUser.CAROL))),
                    callMessage("deny", c -> msg("deny", "x").put("userId", subject(DemoUser.CAROL))),
                    callMessage("end-call", c -> msg("end-call", "x")),
                    callMessage("promote", c -> msg("promote", "x").put("participantId", c.member().participantId())));
        }

        private static Arguments callMessage(String name, Function<Call, ObjectNode> message) {
            return Arguments.of(Named.of(name, message));
        }

        @ParameterizedTest(name = "{0} before join")
        @MethodSource("callMessages")
        void isNotJoinedAndChangesNothing(Function<Call, ObjectNode> message) {
            try (Call call = call(); Client alice = welcomed(DemoUser.ALICE)) {
                alice.send(message.apply(call));
                alice.expectError("not-joined", "x");
                alice.assertAlive();
                call.alice().assertNothingWithin(QUIET);
                call.bob().assertNothingWithin(Duration.ZERO);
                JsonNode room = roomView(call.roomId());
                assertThat(room.path("settings").path("locked").asBoolean()).isFalse();
                assertThat(room.path("endedAt").isNull()).isTrue();
                call.alice().assertAlive();
                call.bob().assertAlive();
            }
        }
    }

    /** {@code send} from a participant (BOB) of a call with its host (ALICE). */
    @Nested
    class Payloads {

        static Stream<Arguments> badSends() {
            String data = Base64.getEncoder().encodeToString(new byte[] {1, 2, 3});
            return Stream.of(
                    badSend("an unknown kind", "invalid",
                            c -> msg("send", "s1").put("kind", "mls-secret").put("data", data)),
                    badSend("no kind", "invalid", c -> msg("send", "s1").put("data", data)),
                    badSend("data that is not base64", "invalid",
                            c -> msg("send", "s1").put("kind", "mls-application").put("data", "***not base64***")),
                    badSend("data in the base64url alphabet", "invalid",
                            c -> msg("send", "s1").put("kind", "mls-application").put("data", "-_-_")),
                    badSend("empty data", "invalid",
                            c -> msg("send", "s1").put("kind", "mls-application").put("data", "")),
                    badSend("no data", "invalid", c -> msg("send", "s1").put("kind", "mls-application")),
                    badSend("numeric data", "invalid",
                            c -> msg("send", "s1").put("kind", "mls-application").put("data", 123)),
                    badSend("mls-welcome without to", "invalid",
                            c -> msg("send", "s1").put("kind", "mls-welcome").put("data", data)),
                    badSend("to that is not an array", "invalid",
                            c -> payload("s1", "x").put("to", c.host().participantId())),
                    badSend("an empty to", "invalid", c -> {
                        ObjectNode send = payload("s1", "x");
                        send.putArray("to");
                        return send;
                    }),
                    badSend("a to of 1001 ids", "invalid", c -> {
                        ObjectNode send = payload("s1", "x");
                        ArrayNode to = send.putArray("to");
                        to.add(c.host().participantId());
                        for (int i = 0; i < 1000; i++) {
                            to.add(unknownParticipantId());
                        }
                        return send;
                    }),
                    badSend("a to with an unknown participant", "participant-not-found", c -> {
                        ObjectNode send = payload("s1", "x");
                        send.putArray("to").add(unknownParticipantId());
                        return send;
                    }),
                    badSend("a to with a member and an unknown participant", "participant-not-found", c -> {
                        ObjectNode send = payload("s1", "x");
                        send.putArray("to").add(c.host().participantId()).add(unknownParticipantId());
                        return send;
                    }),
                    badSend("an mls-welcome to an unknown participant", "participant-not-found", c -> {
                        ObjectNode send = msg("send", "s1").put("kind", "mls-welcome").put("data", data);
                        send.putArray("to").add(unknownParticipantId());
                        return send;
                    }));
        }

        private static Arguments badSend(String name, String code, Function<Call, ObjectNode> message) {
            return Arguments.of(Named.of(name, message), code);
        }

        @ParameterizedTest(name = "{0}: {1}")
        @MethodSource("badSends")
        void isRefusedAndDeliveredToNobody(Function<Call, ObjectNode> message, String code) {
            try (Call call = call()) {
                call.bob().send(message.apply(call));
                call.bob().expectError(code, "s1");
                call.bob().assertAlive(); // no echo came before the pong
                call.alice().assertNothingWithin(QUIET);
                assertTheCallStillCarries(call);
            }
        }

        /** A valid payload from BOB still reaches ALICE, and is the next thing she gets. */
        private void assertTheCallStillCarries(Call call) {
            ObjectNode fine = payload("fine", "still works");
            call.bob().send(fine);
            assertThat(call.bob().expect("payload").path("ref").asText()).isEqualTo("fine");
            JsonNode delivered = call.alice().expect("payload");
            assertThat(delivered.path("data").asText()).isEqualTo(fine.path("data").asText());
            assertThat(delivered.path("from").asText()).isEqualTo(call.member().participantId());
        }

        @Test
        void dataOverTheMaximumCannotBeSent() {
            // 64 KiB + 1 byte is 87 384 base64 characters: within the 128 KiB message limit, so
            // the payload rule itself answers, with the message's ref.
            try (Call call = call()) {
                call.bob().send(payload("s1", new byte[MAX_PAYLOAD_BYTES + 1]));
                call.bob().expectError("invalid", "s1");
                call.bob().assertAlive();
                call.alice().assertNothingWithin(QUIET);
                assertTheCallStillCarries(call);
            }
        }

        @Test
        void sendingAfterLeavingIsNotJoined() {
            try (Call call = call()) {
                call.bob().send(msg("leave", "l1"));
                call.bob().expect("left");
                call.alice().expect("participant-left");
                call.bob().send(payload("s1", "after"));
                call.bob().expectError("not-joined", "s1");
                call.bob().assertAlive();
                call.alice().assertNothingWithin(QUIET);
            }
        }
    }

    /** Server-to-client messages and a second identity, sent by a member of a call (BOB). */
    @Nested
    class Impersonation {

        static Stream<Arguments> forgedEvents() {
            return Stream.of(
                    forged("payload", c -> msg("payload", "f1").put("from", c.host().participantId())
                            .put("kind", "mls-application").put("data", "AAEC")),
                    forged("room-ended", c -> msg("room-ended", "f1").put("by", c.host().participantId())),
                    forged("participant-left", c -> msg("participant-left", "f1")
                            .put("participantId", c.host().participantId()).put("reason", "left")),
                    forged("role-changed", c -> msg("role-changed", "f1")
                            .put("participantId", c.member().participantId()).put("role", "host")),
                    forged("admitted", c -> msg("admitted", "f1").put("roomId", c.roomId())));
        }

        private static Arguments forged(String name, Function<Call, ObjectNode> message) {
            return Arguments.of(Named.of(name, message));
        }

        @ParameterizedTest(name = "a client sending {0}")
        @MethodSource("forgedEvents")
        void aServerMessageFromAClientIsAnUnknownTypeAndReachesNobody(Function<Call, ObjectNode> message) {
            try (Call call = call()) {
                call.bob().send(message.apply(call));
                call.bob().expectError("unknown-type", "f1");
                call.bob().assertAlive();
                call.alice().assertNothingWithin(QUIET);
                assertThat(roomView(call.roomId()).path("endedAt").isNull()).isTrue();
                JsonNode seen = witness(call.roomId());
                assertThat(othersIn(seen)).containsExactly(call.host().participantId(), call.member().participantId());
                assertThat(entry(seen, call.member().participantId()).path("role").asText()).isEqualTo("participant");
            }
        }

        @Test
        void aSecondHelloInACallDoesNotChangeWhoYouAre() {
            String carol = token(DemoUser.CAROL);
            try (Call call = call()) {
                call.bob().send(hello(carol, "h2"));
                call.bob().expectError("already-authenticated", "h2");
                call.bob().assertAlive();
                call.alice().assertNothingWithin(QUIET);
                JsonNode bob = entry(witness(call.roomId()), call.member().participantId());
                assertThat(bob.path("userId").asText()).isEqualTo(subject(DemoUser.BOB));
            }
        }
    }

    /** Media negotiation messages that break their documented form, from a member (BOB). */
    @Nested
    class Media {

        static Stream<Named<ObjectNode>> badMedia() {
            return Stream.of(
                    Named.of("media-offer without sdp", msg("media-offer", "m1")),
                    Named.of("media-offer with an sdp over 32 KiB",
                            msg("media-offer", "m1").put("sdp", "v=0\r\n" + "a=x\r\n".repeat(7_000))),
                    Named.of("ice-candidate over 512 characters",
                            msg("ice-candidate", "m1").put("candidate", "candidate:" + "1".repeat(600))),
                    Named.of("ice-candidate with a text sdpMLineIndex",
                            msg("ice-candidate", "m1").put("candidate", "").put("sdpMLineIndex", "zero")));
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("badMedia")
        void isInvalidAndReachesNobody(ObjectNode message) {
            try (Call call = call()) {
                call.bob().send(message);
                call.bob().expectError("invalid", "m1");
                call.bob().assertAlive();
                call.alice().assertNothingWithin(QUIET);
            }
        }
    }

    /** What a non-host's host control is aimed at, and what the room looks like first. */
    enum NonHostControl {
        MUTE(false, false) {
            @Override
            ObjectNode message(Scene s) {
                return msg("mute", "hc").put("participantId", s.call().host().participantId()).put("media", "audio");
            }
        },
        REMOVE(false, false) {
            @Override
            ObjectNode message(Scene s) {
                return msg("remove", "hc").put("participantId", s.call().host().participantId());
            }
        },
        LOCK(false, false) {
            @Override
            ObjectNode message(Scene s) {
                return msg("lock", "hc");
            }
        },
        UNLOCK(true, false) {
            @Override
            ObjectNode message(Scene s) {
                return msg("unlock", "hc");
            }
        },
        ADMIT(false, true) {
            @Override
            ObjectNode message(Scene s) {
                return msg("admit", "hc").put("userId", s.guest().userId());
            }
        },
        DENY(false, true) {
            @Override
            ObjectNode message(Scene s) {
                return msg("deny", "hc").put("userId", s.guest().userId());
            }
        },
        END_CALL(false, false) {
            @Override
            ObjectNode message(Scene s) {
                return msg("end-call", "hc");
            }
        },
        PROMOTE(false, false) {
            @Override
            ObjectNode message(Scene s) {
                return msg("promote", "hc").put("participantId", s.call().member().participantId());
            }
        };

        final boolean locked;
        final boolean lobbyGuest;

        NonHostControl(boolean locked, boolean lobbyGuest) {
            this.locked = locked;
            this.lobbyGuest = lobbyGuest;
        }

        abstract ObjectNode message(Scene scene);
    }

    /** A call of ALICE (host) and BOB, maybe locked by ALICE, maybe with a guest in the lobby. */
    record Scene(Call call, Client guest) implements AutoCloseable {

        @Override
        public void close() {
            call.close();
            if (guest != null) {
                guest.close();
            }
        }
    }

    @Nested
    class HostControlsByANonHost {

        @ParameterizedTest(name = "{0}")
        @EnumSource(NonHostControl.class)
        void isNotAHostAndNothingChanges(NonHostControl control) {
            Call call = call(Map.of("name", "Controls", "lobby", true));
            Client guest = control.lobbyGuest ? guestInLobby(call.roomId(), "Gina", call.host()) : null;
            try (Scene scene = new Scene(call, guest)) {
                if (control.locked) {
                    call.alice().send(msg("lock", "lock"));
                    assertThat(call.alice().expect("room-locked").path("locked").asBoolean()).isTrue();
                    assertThat(call.bob().expect("room-locked").path("locked").asBoolean()).isTrue();
                }

                call.bob().send(control.message(scene));
                call.bob().expectError("not-a-host", "hc");
                call.bob().assertAlive();
                call.alice().assertNothingWithin(QUIET);
                if (guest != null) {
                    guest.assertNothingWithin(Duration.ZERO);
                    guest.assertAlive();
                }
                call.alice().assertAlive();

                JsonNode room = roomView(call.roomId());
                assertThat(room.path("settings").path("locked").asBoolean()).isEqualTo(control.locked);
                assertThat(room.path("endedAt").isNull()).isTrue();
                JsonNode seen = witness(call.roomId());
                assertThat(othersIn(seen)).containsExactly(call.host().participantId(), call.member().participantId());
                assertThat(entry(seen, call.host().participantId()).path("role").asText()).isEqualTo("host");
                assertThat(entry(seen, call.member().participantId()).path("role").asText()).isEqualTo("participant");
                assertThat(seen.path("room").path("locked").asBoolean()).isEqualTo(control.locked);
                assertThat(lobbyOf(seen)).isEqualTo(guest == null ? List.of() : List.of(guest.userId()));
            }
        }
    }

    /** Host controls by the host (ALICE) that name nobody they could act on, or in a wrong form. */
    @Nested
    class HostControlMistakes {

        static Stream<Arguments> mistakes() {
            return Stream.of(
                    mistake("remove of an unknown participant", "participant-not-found",
                            c -> msg("remove", "hm").put("participantId", unknownParticipantId())),
                    mistake("mute of an unknown participant", "participant-not-found",
                            c -> msg("mute", "hm").put("participantId", unknownParticipantId()).put("media", "audio")),
                    mistake("promote of an unknown participant", "participant-not-found",
                            c -> msg("promote", "hm").put("participantId", unknownParticipantId())),
                    mistake("remove without participantId", "invalid", c -> msg("remove", "hm")),
                    mistake("mute of a medium that is neither audio nor video", "invalid",
                            c -> msg("mute", "hm").put("participantId", c.member().participantId()).put("media", "screen")),
                    mistake("admit of someone in the call, not the lobby", "not-in-lobby",
                            c -> msg("admit", "hm").put("userId", c.member().userId())),
                    mistake("deny of someone who never knocked", "not-in-lobby",
                            c -> msg("deny", "hm").put("userId", "guest:0123456789abcdef01234567")));
        }

        private static Arguments mistake(String name, String code, Function<Call, ObjectNode> message) {
            return Arguments.of(Named.of(name, message), code);
        }

        @ParameterizedTest(name = "{0}: {1}")
        @MethodSource("mistakes")
        void isRefusedAndNothingChanges(Function<Call, ObjectNode> message, String code) {
            try (Call call = call(Map.of("name", "Mistakes", "lobby", true))) {
                call.alice().send(message.apply(call));
                call.alice().expectError(code, "hm");
                call.alice().assertAlive();
                call.bob().assertNothingWithin(QUIET);
                call.bob().assertAlive();
                JsonNode seen = witness(call.roomId());
                assertThat(othersIn(seen)).containsExactly(call.host().participantId(), call.member().participantId());
                assertThat(entry(seen, call.member().participantId()).path("role").asText()).isEqualTo("participant");
                assertThat(seen.path("room").path("locked").asBoolean()).isFalse();
            }
        }

        @Test
        void aGuestCannotBePromoted() {
            try (Call call = call()) {
                Member grace = join(welcomed(guestToken(call.roomId(), "Grace"), "Grace"), call.roomId());
                try (grace) {
                    call.alice().expect("participant-joined");
                    call.bob().expect("participant-joined");
                    call.alice().send(msg("promote", "pg").put("participantId", grace.participantId()));
                    call.alice().expectError("invalid", "pg");
                    call.alice().assertAlive();
                    call.bob().assertNothingWithin(QUIET);
                    grace.socket().assertNothingWithin(Duration.ZERO);
                    JsonNode seen = witness(call.roomId());
                    assertThat(entry(seen, grace.participantId()).path("role").asText()).isEqualTo("guest");
                    assertThat(entry(seen, grace.participantId()).path("verified").asBoolean()).isFalse();
                }
            }
        }
    }

    /** {@code resume} with tokens that do not take anyone's place. */
    @Nested
    class Resuming {

        @Test
        void aGarbageResumeTokenFails() {
            String roomId = createRoom(DemoUser.DAVE);
            try (Client dave = welcomed(DemoUser.DAVE)) {
                dave.send(msg("resume", "r1").put("resumeToken", "garbage").put("lastSeq", 1));
                dave.expectError("resume-failed", "r1");
                dave.assertAlive();
                // Nothing half-resumed: the connection can still join.
                join(dave, roomId);
            }
        }

        @Test
        void aResumeWithoutTokenIsInvalid() {
            try (Client dave = welcomed(DemoUser.DAVE)) {
                dave.send(msg("resume", "r1").put("lastSeq", 1));
                dave.expectError("invalid", "r1");
                dave.assertAlive();
            }
        }

        @Test
        void anotherUsersResumeTokenFailsAndTheirPlaceIsKept() {
            try (Call call = call()) {
                admit(DemoUser.DAVE, call.roomId());
                String bobsToken = call.member().resumeToken();
                call.bob().drop();

                try (Client dave = welcomed(DemoUser.DAVE)) {
                    dave.send(msg("resume", "steal").put("resumeToken", bobsToken));
                    dave.expectError("resume-failed", "steal");
                    dave.assertAlive();
                }

                // BOB's place is still his: he takes it back (within the grace period, short in
                // the test profile), and ALICE saw nothing of it all: no leave, no join.
                try (Client bob = welcomed(DemoUser.BOB)) {
                    bob.send(msg("resume", "mine").put("resumeToken", bobsToken));
                    JsonNode resumed = bob.expect("resumed");
                    assertThat(resumed.path("ref").asText()).isEqualTo("mine");
                    assertThat(resumed.path("you").path("participantId").asText())
                            .isEqualTo(call.member().participantId());
                    assertThat(othersIn(resumed)).containsExactly(call.host().participantId());
                    call.alice().assertNothingWithin(QUIET);
                }
            }
        }

        @Test
        void resumingWhileInTheCallIsAlreadyJoined() {
            try (Call call = call()) {
                call.bob().send(msg("resume", "r2").put("resumeToken", call.member().resumeToken()));
                call.bob().expectError("already-joined", "r2");
                call.bob().assertAlive();
                call.alice().assertNothingWithin(QUIET);
                assertThat(othersIn(witness(call.roomId())))
                        .containsExactly(call.host().participantId(), call.member().participantId());
            }
        }
    }

    @Nested
    class Flooding {

        @Test
        void aFloodInACallIsDroppedThenCutOffAndTheOthersGetOnlyWhatWasAccepted() {
            try (Call call = call()) {
                admit(DemoUser.DAVE, call.roomId());
                try (Member dave = joinAs(DemoUser.DAVE, call.roomId())) {
                    call.alice().expect("participant-joined");
                    call.bob().expect("participant-joined");

                    Map<String, String> dataByRef = new HashMap<>();
                    long started = System.nanoTime();
                    int sent = 0;
                    for (int i = 0; i < 300; i++) {
                        ObjectNode send = payload("f" + i, "flood " + i);
                        dataByRef.put("f" + i, send.path("data").asText());
                        if (!call.bob().trySend(send.toString())) {
                            break;
                        }
                        sent++;
                    }

                    List<String> echoed = new ArrayList<>();
                    Set<String> refused = new HashSet<>();
                    int rateLimited = 0;
                    while (true) {
                        JsonNode message = call.bob().next();
                        String type = message.path("type").asText();
                        String code = message.path("code").asText();
                        if (type.equals("payload")) {
                            assertThat(message.path("from").asText()).isEqualTo(call.member().participantId());
                            echoed.add(message.path("data").asText());
                        } else if (code.equals("rate-limited")) {
                            rateLimited++;
                        } else if (code.equals("abusive")) {
                            break;
                        } else if (code.equals("unavailable")) {
                            refused.add(dataByRef.get(message.path("ref").asText()));
                        } else {
                            throw new AssertionError("bob received " + message);
                        }
                    }
                    double seconds = (System.nanoTime() - started) / 1e9;
                    assertThat(call.bob().closeCode(PATIENCE)).isEqualTo(1008);
                    // abusive is the 100th dropped message (the rate-limited errors before it: 99).
                    assertThat(rateLimited + 1).isEqualTo(100);

                    List<String> aliceGot = payloadsUntilQuiet(call.alice(), call.member(), dataByRef);
                    List<String> daveGot = payloadsUntilQuiet(dave.socket(), call.member(), dataByRef);
                    assertThat(daveGot).as("the same payloads in the same order").isEqualTo(aliceGot);
                    assertThat(aliceGot).containsAll(echoed).filteredOn(refused::contains).isEmpty();
                    assertThat(aliceGot.size())
                            .as("at most what was not dropped (sent %d, dropped %d)", sent, rateLimited + 1)
                            .isLessThanOrEqualTo(sent - rateLimited - 1 - refused.size())
                            .as("at most burst + rate x %.1f s", seconds)
                            .isLessThanOrEqualTo(40 + (int) Math.ceil(20 * seconds) + 1);
                    call.alice().assertAlive();
                    dave.socket().assertAlive();
                }
            }
        }

        /** The data of each payload from {@code sender} until the client is quiet; anything else fails. */
        private List<String> payloadsUntilQuiet(Client client, Member sender, Map<String, String> dataByRef) {
            List<String> data = new ArrayList<>();
            JsonNode message;
            while ((message = client.poll(QUIET)) != null) {
                assertThat(message.path("type").asText()).as("%s received %s", client, message).isEqualTo("payload");
                assertThat(message.path("from").asText()).isEqualTo(sender.participantId());
                assertThat(message.has("ref")).as("only the sender gets ref: %s", message).isFalse();
                assertThat(dataByRef).containsValue(message.path("data").asText());
                data.add(message.path("data").asText());
            }
            return data;
        }
    }
}
