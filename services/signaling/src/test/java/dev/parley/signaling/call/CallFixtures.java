package dev.parley.signaling.call;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.testing.DemoUser;
import dev.parley.testing.JsonSocket;
import dev.parley.testing.Keycloak;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fixtures for call-protocol tests ({@code docs/protocol.md}): rooms, invites and guest tokens
 * through the REST API, and {@link Client}s that connect to {@code /ws/v1}, say {@code hello} and
 * {@code join}. Connecting opens the (test profile's 2 s) hello deadline, so every helper fetches
 * its token before it connects.
 */
final class CallFixtures {

    static final ObjectMapper JSON = new ObjectMapper();

    /** How long a client must stay silent to show that nothing was delivered to it. */
    static final Duration QUIET = Duration.ofMillis(750);

    /** How long to wait for a message that must come. */
    static final Duration PATIENCE = Duration.ofSeconds(5);

    private static final Map<DemoUser, String> TOKENS = new ConcurrentHashMap<>();
    private static final AtomicInteger IDS = new AtomicInteger();

    private CallFixtures() {
    }

    // --- tokens -----------------------------------------------------------------------------

    /** A Keycloak access token for {@code user}, reused while it has more than a minute left. */
    static String token(DemoUser user) {
        return TOKENS.compute(user, (who, cached) ->
                cached != null && Keycloak.expiry(cached).isAfter(Instant.now().plusSeconds(60))
                        ? cached : Keycloak.accessToken(who));
    }

    static String subject(DemoUser user) {
        return Keycloak.subject(token(user));
    }

    // --- REST: rooms, invites, guests ---------------------------------------------------------

    /** A new room hosted by {@code host}; {@code settings} as in {@code POST /api/v1/rooms}. */
    static String createRoom(DemoUser host, Map<String, Object> settings) {
        return given().auth().oauth2(token(host)).contentType(ContentType.JSON).body(settings)
                .when().post("/api/v1/rooms").then().statusCode(201).extract().path("id");
    }

    static String createRoom(DemoUser host) {
        return createRoom(host, Map.of("name", "Abuse " + IDS.incrementAndGet()));
    }

    /** A new invite code of {@code role} ({@code guest} or {@code participant}) made by {@code host}. */
    static String invite(DemoUser host, String roomId, String role) {
        return given().auth().oauth2(token(host)).contentType(ContentType.JSON).body(Map.of("role", role))
                .when().post("/api/v1/rooms/" + roomId + "/invites").then().statusCode(201).extract().path("code");
    }

    /** Admits the SSO user {@code user} to a room of ALICE's: a participant invite, redeemed. */
    static void admit(DemoUser user, String roomId) {
        admit(user, roomId, DemoUser.ALICE);
    }

    static void admit(DemoUser user, String roomId, DemoUser host) {
        String code = invite(host, roomId, "participant");
        given().auth().oauth2(token(user)).contentType(ContentType.JSON).body(Map.of())
                .when().post("/api/v1/invites/" + code + "/redeem").then().statusCode(200);
    }

    /** A guest token for a room of ALICE's, redeemed under {@code displayName}. */
    static String guestToken(String roomId, String displayName) {
        String code = invite(DemoUser.ALICE, roomId, "guest");
        return given().contentType(ContentType.JSON).body(Map.of("displayName", displayName))
                .when().post("/api/v1/invites/" + code + "/redeem").then().statusCode(200)
                .extract().path("guestToken");
    }

    /** The room as {@code GET /api/v1/rooms/{id}} shows it to ALICE. */
    static JsonNode roomView(String roomId) {
        return parse(given().auth().oauth2(token(DemoUser.ALICE)).when().get("/api/v1/rooms/" + roomId)
                .then().statusCode(200).extract().asString());
    }

    static void lockViaRest(String roomId) {
        given().auth().oauth2(token(DemoUser.ALICE)).contentType(ContentType.JSON).body(Map.of("locked", true))
                .when().patch("/api/v1/rooms/" + roomId).then().statusCode(200);
    }

    static void endViaRest(String roomId) {
        given().auth().oauth2(token(DemoUser.ALICE)).when().post("/api/v1/rooms/" + roomId + "/end")
                .then().statusCode(200);
    }

    // --- messages ---------------------------------------------------------------------------

    /** A message of {@code type} with the client id {@code id} (null for none). */
    static ObjectNode msg(String type, String id) {
        ObjectNode message = JSON.createObjectNode().put("type", type);
        if (id != null) {
            message.put("id", id);
        }
        return message;
    }

    static ObjectNode hello(String token, String id) {
        return msg("hello", id).put("v", 1).put("token", token);
    }

    static ObjectNode join(String roomId, String id) {
        return msg("join", id).put("roomId", roomId);
    }

    /** {@code send} of an {@code mls-application} payload carrying {@code bytes}. */
    static ObjectNode payload(String id, byte[] bytes) {
        return msg("send", id).put("kind", "mls-application").put("data", Base64.getEncoder().encodeToString(bytes));
    }

    static ObjectNode payload(String id, String text) {
        return payload(id, text.getBytes(StandardCharsets.UTF_8));
    }

    /** A participant id of the documented form ({@code p-} and 26 base32 letters) that nobody has. */
    static String unknownParticipantId() {
        String alphabet = "abcdefghijklmnopqrstuvwxyz234567";
        StringBuilder id = new StringBuilder("p-");
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int i = 0; i < 26; i++) {
            id.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return id.toString();
    }

    static JsonNode parse(String text) {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("not JSON: " + text, e);
        }
    }

    static URI endpoint() {
        return URI.create(RestAssured.baseURI.replaceFirst("^http", "ws") + ":" + RestAssured.port + "/ws/v1");
    }

    // --- connections ------------------------------------------------------------------------

    /** A fresh connection that has not said {@code hello}: say it within two seconds. */
    static Client connect(String name) {
        return new Client(name);
    }

    /** A connection welcomed with {@code token}. */
    static Client welcomed(String token, String name) {
        Client client = connect(name);
        client.hello(token);
        return client;
    }

    /** A connection welcomed as {@code user}. */
    static Client welcomed(DemoUser user) {
        return welcomed(token(user), user.username());
    }

    /** Sends {@code join} and expects {@code joined}. */
    static Member join(Client client, String roomId) {
        String id = "j-" + IDS.incrementAndGet();
        client.send(join(roomId, id));
        JsonNode joined = client.expect("joined");
        assertThat(joined.path("ref").asText()).as(joined.toString()).isEqualTo(id);
        return new Member(client, joined);
    }

    /** {@code user} on a new connection, in the call of {@code roomId}. */
    static Member joinAs(DemoUser user, String roomId) {
        return join(welcomed(user), roomId);
    }

    /**
     * A guest on a new connection, waiting in the lobby of {@code roomId} (a room with a lobby);
     * the hosts in {@code hosts} see {@code lobby-entered}.
     */
    static Client guestInLobby(String roomId, String displayName, Member... hosts) {
        Client guest = welcomed(guestToken(roomId, displayName), displayName);
        guest.send(join(roomId, "lobby-" + displayName));
        JsonNode lobby = guest.expect("lobby");
        assertThat(lobby.path("roomId").asText()).isEqualTo(roomId);
        assertThat(lobby.path("ref").asText()).isEqualTo("lobby-" + displayName);
        for (Member host : hosts) {
            assertThat(host.socket().expect("lobby-entered").path("displayName").asText()).isEqualTo(displayName);
        }
        return guest;
    }

    /**
     * The call as a newly joining host (ALICE on another device) sees it: the {@code joined}
     * message. The witness leaves again at once; its arrival and departure are visible to
     * everyone, so call it after the other checks.
     */
    static JsonNode witness(String roomId) {
        try (Client witness = welcomed(DemoUser.ALICE)) {
            witness.send(join(roomId, "witness"));
            JsonNode joined = witness.expect("joined");
            witness.send(msg("leave", "witness-leave"));
            witness.until("left");
            return joined;
        }
    }

    /** The participant ids of a {@code joined} roster, in joining order, without the receiver. */
    static List<String> othersIn(JsonNode joined) {
        List<String> ids = new ArrayList<>();
        String you = joined.path("you").path("participantId").asText();
        for (JsonNode participant : joined.path("roster")) {
            if (!participant.path("participantId").asText().equals(you)) {
                ids.add(participant.path("participantId").asText());
            }
        }
        return ids;
    }

    /** The roster entry of {@code participantId} in a {@code joined} message. */
    static JsonNode entry(JsonNode joined, String participantId) {
        for (JsonNode participant : joined.path("roster")) {
            if (participant.path("participantId").asText().equals(participantId)) {
                return participant;
            }
        }
        throw new AssertionError(participantId + " is not in the roster " + joined.path("roster"));
    }

    /** The user ids waiting in the lobby, as a {@code joined} message shows them to a host. */
    static List<String> lobbyOf(JsonNode joined) {
        List<String> ids = new ArrayList<>();
        joined.path("lobby").forEach(waiting -> ids.add(waiting.path("userId").asText()));
        return ids;
    }

    /** A participant in a call: its connection and the {@code joined} it got. */
    record Member(Client socket, JsonNode joined) implements AutoCloseable {

        String participantId() {
            return joined.path("you").path("participantId").asText();
        }

        String userId() {
            return joined.path("you").path("userId").asText();
        }

        String resumeToken() {
            return joined.path("resumeToken").asText();
        }

        @Override
        public void close() {
            socket.close();
        }
    }

    /**
     * A room of ALICE's (with {@code settings}) whose call ALICE (host) and BOB (admitted by a
     * participant invite) have joined, in that order; ALICE's {@code participant-joined} for BOB
     * is consumed.
     */
    static Call call(Map<String, Object> settings) {
        String roomId = createRoom(DemoUser.ALICE, settings);
        admit(DemoUser.BOB, roomId);
        Member host = joinAs(DemoUser.ALICE, roomId);
        Member member = joinAs(DemoUser.BOB, roomId);
        JsonNode arrived = host.socket().expect("participant-joined");
        assertThat(arrived.path("participant").path("participantId").asText()).isEqualTo(member.participantId());
        return new Call(roomId, host, member);
    }

    static Call call() {
        return call(Map.of("name", "Call " + IDS.incrementAndGet()));
    }

    record Call(String roomId, Member host, Member member) implements AutoCloseable {

        Client alice() {
            return host.socket();
        }

        Client bob() {
            return member.socket();
        }

        @Override
        public void close() {
            host.close();
            member.close();
        }
    }

    // --- the client -------------------------------------------------------------------------

    /** A call-protocol client on this test's signaling ({@link JsonSocket} with its endpoint). */
    static final class Client extends JsonSocket {

        Client(String name) {
            super(CallFixtures.endpoint(), name);
        }
    }
}
