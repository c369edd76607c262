package dev.parley.presence;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.events.Topic;
import dev.parley.events.call.CallEvents.ParticipantJoined;
import dev.parley.events.call.CallParticipant;
import dev.parley.events.call.CallRole;
import dev.parley.events.call.ParticipantId;
import dev.parley.events.connection.ConnectionEvent;
import dev.parley.events.identity.UserId;
import dev.parley.events.kafka.JsonEventSerializer;
import dev.parley.events.room.RoomId;
import dev.parley.runtime.guest.GuestIdentity;
import dev.parley.runtime.guest.GuestTokens;
import dev.parley.testing.DemoUser;
import dev.parley.testing.Keycloak;
import dev.parley.testing.LocalStack;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static dev.parley.presence.PresenceClient.PATIENCE;
import static dev.parley.presence.PresenceClient.QUIET;
import static dev.parley.presence.PresenceClient.answerRing;
import static dev.parley.presence.PresenceClient.cancelRing;
import static dev.parley.presence.PresenceClient.connect;
import static dev.parley.presence.PresenceClient.hello;
import static dev.parley.presence.PresenceClient.msg;
import static dev.parley.presence.PresenceClient.ring;
import static dev.parley.presence.PresenceClient.subject;
import static dev.parley.presence.PresenceClient.subscribe;
import static dev.parley.presence.PresenceClient.token;
import static dev.parley.presence.PresenceClient.unsubscribe;
import static dev.parley.presence.PresenceClient.welcomed;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * Malformed and unauthorised input to presence, over REST ({@code docs/rest-api.md}, "Presence")
 * and on the presence WebSocket ({@code docs/presence-protocol.md}): each case gets its documented
 * problem type and status, or its documented error code (with {@code ref}) or close code, and
 * changes nothing: a device keeps its status after a refused heartbeat, a refused subscription
 * delivers no later change, a refused ring reaches nobody.
 *
 * <p>Changes that must or must not be delivered are made to synthetic users (never a demo user,
 * whom tests running elsewhere on the shared stack may change at any time): a call connection on
 * a replica whose heartbeat this test writes ({@code parley.connections}), as signaling announces
 * it. Each "not delivered" check first sees a change of a user that is subscribed arrive, so the
 * silence means something.
 */
@QuarkusTest
class PresenceAbuseIT {

    private static final String PROBLEMS = "https://parley.dev/problems/";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String REPLICA = "abuse-replica-" + UUID.randomUUID();

    private static KafkaProducer<String, Object> kafka;

    @Inject
    RedisDataSource redis;

    @Inject
    GuestTokens guestTokens;

    /** Heartbeat devices this test keeps alive while it runs: (user, device) → status. */
    private final Map<Map.Entry<DemoUser, String>, String> beating = new ConcurrentHashMap<>();
    private ScheduledExecutorService beater;

    @BeforeAll
    static void producer() {
        kafka = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, LocalStack.kafkaBootstrap()),
                new StringSerializer(), new JsonEventSerializer<>());
    }

    @AfterAll
    static void disconnect() {
        kafka.close();
    }

    /**
     * Other modules' tests put demo users in calls on the shared broker, and presence follows
     * them; here every demo user starts outside any call. The synthetic replica beats.
     */
    @BeforeEach
    void outOfCallsAndReplicaAlive() {
        for (DemoUser user : DemoUser.values()) {
            redis.key().del("parley:presence:calls:" + subject(user));
        }
        redis.value(String.class).psetex("parley:replica:" + REPLICA, 120_000, "alive");
        beater = Executors.newSingleThreadScheduledExecutor();
    }

    @AfterEach
    void devicesLeave() throws InterruptedException {
        beater.shutdownNow();
        beater.awaitTermination(5, TimeUnit.SECONDS);
        beating.keySet().forEach(device -> given().auth().oauth2(token(device.getKey()))
                .when().delete("/api/v1/presence/me/devices/" + device.getValue()).then().statusCode(204));
        beating.clear();
    }

    // --- fixtures ---------------------------------------------------------------------------

    private static String newDevice() {
        return "abuse-" + UUID.randomUUID();
    }

    private static String syntheticUser(String kind) {
        return "abuse-" + kind + "-" + UUID.randomUUID();
    }

    private static ValidatableResponse beat(DemoUser user, String device, Object body) {
        return given().auth().oauth2(token(user)).contentType(ContentType.JSON).body(body)
                .when().put("/api/v1/presence/me/devices/" + device).then();
    }

    /** A heartbeat device of {@code user} with {@code status}, kept beating until the test ends. */
    private String device(DemoUser user, String status) {
        String device = newDevice();
        beat(user, device, Map.of("status", status)).statusCode(200);
        beating.put(Map.entry(user, device), status);
        if (beating.size() == 1) {
            // The test profile's devices lapse 2 s after their last heartbeat.
            beater.scheduleWithFixedDelay(() -> beating.forEach((who, what) -> {
                try {
                    beat(who.getKey(), who.getValue(), Map.of("status", what));
                } catch (RuntimeException e) {
                    // the next beat comes 300 ms later, well within the 2 s a device lives
                }
            }), 300, 300, TimeUnit.MILLISECONDS);
        }
        return device;
    }

    private static ValidatableResponse presenceOf(String userId) {
        return given().auth().oauth2(token(DemoUser.CAROL)).when().get("/api/v1/presence/users/" + userId)
                .then().statusCode(200);
    }

    /** The statuses of {@code user}'s devices in Redis: what a refused request must not touch. */
    private Map<String, String> devicesOf(DemoUser user) {
        return redis.hash(String.class).hgetall("parley:presence:user:" + subject(user)).entrySet().stream()
                .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, e -> e.getValue().split("\\|")[0]));
    }

    private static void publish(Topic topic, String key, Object event) {
        try {
            kafka.send(new ProducerRecord<>(topic.topicName(), key, event)).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not publish to " + topic, e);
        }
    }

    /**
     * A synthetic user (with no device so far) gets a call connection on the beating replica: one
     * device present, {@code online} unless they are in a call.
     */
    private static void bringOnline(String user) {
        publish(Topic.CONNECTIONS, user, new ConnectionEvent(new UserId(user), "c-" + UUID.randomUUID(), REPLICA,
                ConnectionEvent.Change.OPENED, Instant.now()));
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> presenceOf(user).body("devices", equalTo(1)));
    }

    /** A synthetic user joins a call in a new room, which is returned. */
    private static String putInCall(String user) {
        return putInCall(user, RoomId.random(RANDOM).value());
    }

    /** A synthetic user joins the call of {@code roomId}. */
    private static String putInCall(String user, String roomId) {
        RoomId room = new RoomId(roomId);
        publish(Topic.CALLS, room.value(), new ParticipantJoined(room, new CallParticipant(ParticipantId.random(RANDOM),
                new UserId(user), "Synthetic", true, CallRole.PARTICIPANT, false, Instant.now()), Instant.now()));
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> presenceOf(user).body("status", equalTo("in-call")));
        return room.value();
    }

    /**
     * {@code client} is subscribed to {@code control} and must not be to {@code unsubscribed}: each
     * gets a device ({@code unsubscribed} first, and seen by REST); the control's update arrives,
     * nothing about {@code unsubscribed} arrives before it or within {@link PresenceClient#QUIET} after.
     */
    private static void assertNotSubscribed(PresenceClient client, String control, String... unsubscribed) {
        for (String user : unsubscribed) {
            bringOnline(user);
        }
        bringOnline(control);
        Set<String> forbidden = Set.of(unsubscribed);
        JsonNode update = client.until(
                m -> m.path("type").asText().equals("presence") && m.path("userId").asText().equals(control),
                m -> !forbidden.contains(m.path("userId").asText()));
        assertThat(update.path("devices").asInt()).isEqualTo(1);
        client.assertNothingWithin(QUIET);
    }

    private static List<String> ids(int count, String kind) {
        return IntStream.range(0, count).mapToObj(i -> syntheticUser(kind)).toList();
    }

    private static ObjectNode withIds(ObjectNode message, Object userIds) {
        message.set("userIds", PresenceClient.JSON.valueToTree(userIds));
        return message;
    }

    // ==========================================================================================
    // REST
    // ==========================================================================================

    /** Requests without a valid bearer token: 401 {@code unauthenticated}, and nothing recorded. */
    @Nested
    class Authentication {

        static Stream<Named<Function<RequestSpecification, io.restassured.response.Response>>> everyEndpoint() {
            return Stream.of(
                    Named.of("PUT heartbeat", r -> r.contentType(ContentType.JSON).body(Map.of("status", "online"))
                            .put("/api/v1/presence/me/devices/" + newDevice())),
                    Named.of("DELETE device", r -> r.delete("/api/v1/presence/me/devices/" + newDevice())),
                    Named.of("GET user", r -> r.get("/api/v1/presence/users/" + UUID.randomUUID())),
                    Named.of("POST query", r -> r.contentType(ContentType.JSON)
                            .body(Map.of("userIds", List.of(UUID.randomUUID().toString()))).post("/api/v1/presence/query")),
                    Named.of("GET room", r -> r.get("/api/v1/presence/rooms/abcd-efgh-ijkl")));
        }

        @ParameterizedTest(name = "{0} without a token")
        @MethodSource("everyEndpoint")
        void noTokenIsUnauthenticated(Function<RequestSpecification, io.restassured.response.Response> request) {
            request.apply(given().when()).then().statusCode(401)
                    .contentType("application/problem+json")
                    .body("type", equalTo(PROBLEMS + "unauthenticated"));
        }

        @ParameterizedTest(name = "{0} with a garbage token")
        @MethodSource("everyEndpoint")
        void aGarbageTokenIsUnauthenticated(Function<RequestSpecification, io.restassured.response.Response> request) {
            request.apply(given().auth().oauth2("not-a-token-at-all").when()).then().statusCode(401)
                    .contentType("application/problem+json")
                    .body("type", equalTo(PROBLEMS + "unauthenticated"));
        }

        @Test
        void anExpiredTokenIsUnauthenticatedAndTheDeviceKeepsItsStatus() {
            String token = Keycloak.shortLivedAccessToken(DemoUser.BOB);
            Instant expiry = Keycloak.expiry(token);
            String laptop = device(DemoUser.BOB, "away");
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                    .until(() -> Instant.now().isAfter(expiry.plusSeconds(1)));

            given().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of("status", "busy"))
                    .when().put("/api/v1/presence/me/devices/" + laptop)
                    .then().statusCode(401)
                    .body("type", equalTo(PROBLEMS + "unauthenticated"));
            given().auth().oauth2(token).when().delete("/api/v1/presence/me/devices/" + laptop)
                    .then().statusCode(401)
                    .body("type", equalTo(PROBLEMS + "unauthenticated"));
            assertThat(devicesOf(DemoUser.BOB)).containsEntry(laptop, "away");
        }

        @Test
        void aTokenRewrittenToAnotherUserIsUnauthenticatedAndTheirDeviceStays() {
            String bobsPhone = device(DemoUser.BOB, "online");
            String[] parts = token(DemoUser.DAVE).split("\\.");
            String claims = new String(Base64.getUrlDecoder().decode(parts[1]))
                    .replace(subject(DemoUser.DAVE), subject(DemoUser.BOB));
            assertThat(claims).contains(subject(DemoUser.BOB));
            String forged = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(claims.getBytes())
                    + "." + parts[2];

            given().auth().oauth2(forged).when().delete("/api/v1/presence/me/devices/" + bobsPhone)
                    .then().statusCode(401)
                    .body("type", equalTo(PROBLEMS + "unauthenticated"));
            given().auth().oauth2(forged).contentType(ContentType.JSON).body(Map.of("status", "away"))
                    .when().put("/api/v1/presence/me/devices/" + bobsPhone)
                    .then().statusCode(401);
            assertThat(devicesOf(DemoUser.BOB)).containsEntry(bobsPhone, "online");
        }
    }

    /** Heartbeats and leaves with a device id or a body that is not one. */
    @Nested
    class Devices {

        static Stream<Named<String>> malformedDeviceIds() {
            return Stream.of(
                    Named.of("7 characters", "abc-123"),
                    Named.of("65 characters", "d".repeat(65)),
                    Named.of("a dot", "device.12345"),
                    Named.of("a space", "device 12345"),
                    Named.of("a non-ASCII letter", "ger\u00e4t-12345"),
                    Named.of("a plus", "device+12345"),
                    Named.of("a colon (the call connections' prefix)", "conn:12345678"));
        }

        @ParameterizedTest(name = "PUT with {0}")
        @MethodSource("malformedDeviceIds")
        void aHeartbeatForAMalformedDeviceIdIsRefusedAndRecordsNothing(String deviceId) {
            String laptop = device(DemoUser.BOB, "away");
            beat(DemoUser.BOB, deviceId, Map.of("status", "busy"))
                    .statusCode(400).contentType("application/problem+json")
                    .body("type", equalTo(PROBLEMS + "malformed-device-id"));
            assertThat(devicesOf(DemoUser.BOB)).containsEntry(laptop, "away").doesNotContainKey(deviceId);
        }

        @ParameterizedTest(name = "DELETE with {0}")
        @MethodSource("malformedDeviceIds")
        void aLeaveForAMalformedDeviceIdIsRefusedAndRemovesNothing(String deviceId) {
            String laptop = device(DemoUser.BOB, "online");
            given().auth().oauth2(token(DemoUser.BOB)).when().delete("/api/v1/presence/me/devices/" + deviceId)
                    .then().statusCode(400)
                    .body("type", equalTo(PROBLEMS + "malformed-device-id"));
            assertThat(devicesOf(DemoUser.BOB)).containsEntry(laptop, "online");
        }

        static Stream<Arguments> badStatuses() {
            return Stream.of(
                    Arguments.of(Named.of("offline", Map.of("status", "offline")), "malformed-body"),
                    Arguments.of(Named.of("in-call", Map.of("status", "in-call")), "malformed-body"),
                    Arguments.of(Named.of("upper case", Map.of("status", "ONLINE")), "malformed-body"),
                    Arguments.of(Named.of("an empty string", Map.of("status", "")), "malformed-body"),
                    Arguments.of(Named.of("a number", Map.of("status", 2)), "malformed-body"),
                    Arguments.of(Named.of("an array", Map.of("status", List.of("online"))), "malformed-body"),
                    Arguments.of(Named.of("not JSON", "status=online"), "malformed-body"),
                    Arguments.of(Named.of("no status", Map.of("state", "online")), "invalid-request"),
                    Arguments.of(Named.of("a null status", Collections.singletonMap("status", null)), "invalid-request"));
        }

        @ParameterizedTest(name = "status {0}: {1}")
        @MethodSource("badStatuses")
        void aHeartbeatWithABadStatusIsRefusedAndTheDeviceKeepsItsOwn(Object body, String problem) {
            String laptop = device(DemoUser.BOB, "away");
            beat(DemoUser.BOB, laptop, body)
                    .statusCode(400).contentType("application/problem+json")
                    .body("type", equalTo(PROBLEMS + problem));
            assertThat(devicesOf(DemoUser.BOB)).containsEntry(laptop, "away");
        }
    }

    /** Look-ups of users, lists of users and rooms in a form that is not one. */
    @Nested
    class LookUps {

        static Stream<Named<Object>> badQueries() {
            return Stream.of(
                    Named.of("an empty list", Map.of("userIds", List.of())),
                    Named.of("201 ids", Map.of("userIds", ids(201, "q"))),
                    Named.of("an empty id", Map.of("userIds", List.of(UUID.randomUUID().toString(), ""))),
                    Named.of("a blank id", Map.of("userIds", List.of("   ", UUID.randomUUID().toString()))),
                    Named.of("a null id", Map.of("userIds", java.util.Arrays.asList(UUID.randomUUID().toString(), null))),
                    Named.of("a 256-character id", Map.of("userIds", List.of("u".repeat(256)))),
                    Named.of("no userIds", Map.of("users", List.of(UUID.randomUUID().toString()))),
                    Named.of("an empty body", Map.of()));
        }

        @ParameterizedTest(name = "a query with {0} is invalid-request")
        @MethodSource("badQueries")
        void aBadQueryIsAnInvalidRequest(Object body) {
            given().auth().oauth2(token(DemoUser.CAROL)).contentType(ContentType.JSON).body(body)
                    .when().post("/api/v1/presence/query")
                    .then().statusCode(400).contentType("application/problem+json")
                    .body("type", equalTo(PROBLEMS + "invalid-request"));
        }

        @Test
        void aQueryOf200IdsIsTheMostThatIsAnswered() {
            List<String> users = ids(200, "q");
            given().auth().oauth2(token(DemoUser.CAROL)).contentType(ContentType.JSON).body(Map.of("userIds", users))
                    .when().post("/api/v1/presence/query")
                    .then().statusCode(200).body("users.size()", equalTo(200))
                    .body("users[199].userId", equalTo(users.get(199)));
        }

        @ParameterizedTest(name = "userIds as {0}")
        @ValueSource(strings = {"\"carol\"", "42", "{\"id\":\"carol\"}"})
        void userIdsThatAreNotAListAreAMalformedBody(String userIds) {
            given().auth().oauth2(token(DemoUser.CAROL)).contentType(ContentType.JSON).body("{\"userIds\":" + userIds + "}")
                    .when().post("/api/v1/presence/query")
                    .then().statusCode(400).contentType("application/problem+json")
                    .body("type", equalTo(PROBLEMS + "malformed-body"));
        }

        @ParameterizedTest(name = "user id \"{0}\"")
        @ValueSource(strings = {"%20", "%20%20%20", "%09"})
        void aBlankUserIdIsMalformed(String encodedUserId) {
            given().urlEncodingEnabled(false).auth().oauth2(token(DemoUser.CAROL))
                    .when().get("/api/v1/presence/users/" + encodedUserId)
                    .then().statusCode(400).contentType("application/problem+json")
                    .body("type", equalTo(PROBLEMS + "malformed-user-id"));
        }

        @Test
        void aUserIdOver255CharactersIsMalformed() {
            given().auth().oauth2(token(DemoUser.CAROL)).when().get("/api/v1/presence/users/" + "u".repeat(256))
                    .then().statusCode(400)
                    .body("type", equalTo(PROBLEMS + "malformed-user-id"));
        }

        @ParameterizedTest(name = "room id \"{0}\"")
        @ValueSource(strings = {"ABCD-EFGH-IJKL", "abcd-efgh", "abcd-efgh-ijkl-mnop", "abcd-efgh-ijk1", "abcdefghijkl",
                "abcd_efgh_ijkl", "abcd-efgh-ijk\u00e9"})
        void aMalformedRoomIdIsRefused(String roomId) {
            given().auth().oauth2(token(DemoUser.CAROL)).when().get("/api/v1/presence/rooms/" + roomId)
                    .then().statusCode(400).contentType("application/problem+json")
                    .body("type", equalTo(PROBLEMS + "malformed-room-id"));
        }
    }

    // ==========================================================================================
    // The presence WebSocket
    // ==========================================================================================

    /** Input that is not a message, unknown types and sizes: typed errors, the connection stays. */
    @Nested
    class Framing {

        static Stream<Named<String>> notMessages() {
            return Stream.of(
                    Named.of("bad JSON", "not json"),
                    Named.of("truncated JSON", "{\"type\":\"ping\",\"id\":"),
                    Named.of("a JSON array", "[{\"type\":\"ping\",\"id\":\"a1\"}]"),
                    Named.of("a JSON string", "\"ping\""),
                    Named.of("an object without type", "{\"id\":\"m1\"}"),
                    Named.of("a numeric type", "{\"type\":7,\"id\":\"m2\"}"));
        }

        @ParameterizedTest(name = "{0} is malformed")
        @MethodSource("notMessages")
        void isMalformedAndTheConnectionStaysOpen(String text) {
            try (PresenceClient carol = welcomed(DemoUser.CAROL)) {
                carol.send(text);
                carol.expectError("malformed", null);
                carol.assertAlive();
            }
        }

        @ParameterizedTest(name = "type \"{0}\"")
        @ValueSource(strings = {"teleport", "SUBSCRIBE", "join"})
        void anUnknownTypeIsRefusedWithItsRef(String type) {
            try (PresenceClient carol = welcomed(DemoUser.CAROL)) {
                carol.send(msg(type, "u1"));
                carol.expectError("unknown-type", "u1");
                carol.assertAlive();
            }
        }

        @Test
        void aMessageOver16KibIsTooLargeAndSubscribesNobody() {
            String control = syntheticUser("control");
            String target = syntheticUser("big");
            try (PresenceClient carol = welcomed(DemoUser.CAROL)) {
                carol.subscribed(List.of(control));
                carol.send(subscribe("big", List.of(target)).put("pad", "x".repeat(17 * 1024)));
                carol.expectError("too-large", null);
                carol.assertAlive();
                assertNotSubscribed(carol, control, target);
            }
        }
    }

    /** Authentication: {@code hello} and what comes before it. */
    @Nested
    class Hello {

        @Test
        void aSubscribeBeforeHelloIsRefusedAndSubscribesNobody() {
            String token = token(DemoUser.CAROL);
            String control = syntheticUser("control");
            String target = syntheticUser("early");
            try (PresenceClient client = connect("early")) {
                client.send(subscribe("s0", List.of(target)));
                client.expectError("hello-required", "s0");
                client.send(hello(token, "h1"));
                assertThat(client.expect("welcome").path("ref").asText()).isEqualTo("h1");
                client.subscribed(List.of(control));
                assertNotSubscribed(client, control, target);
            }
        }

        @Test
        void aRingBeforeHelloIsRefusedAndRingsNobody() {
            device(DemoUser.BOB, "online");
            try (PresenceClient bob = welcomed(DemoUser.BOB); PresenceClient early = connect("early")) {
                early.send(ring("r0", subject(DemoUser.BOB), RoomId.random(RANDOM).value()));
                early.expectError("hello-required", "r0");
                bob.assertNothingWithin(QUIET);
                early.send(hello(token(DemoUser.ALICE), "h1"));
                early.expect("welcome");
                early.assertAlive();
            }
        }

        @Test
        void aSecondHelloIsRefusedAndTheFirstIdentityStays() {
            String bob = token(DemoUser.BOB);
            try (PresenceClient carol = welcomed(DemoUser.CAROL)) {
                carol.send(hello(bob, "h2"));
                carol.expectError("already-authenticated", "h2");
                carol.assertAlive();
                // Still carol: ringing carol is ringing oneself.
                carol.send(ring("r1", subject(DemoUser.CAROL), RoomId.random(RANDOM).value()));
                carol.expectError("cannot-ring-self", "r1");
            }
        }

        static Stream<Named<Function<String, ObjectNode>>> secondHellos() {
            return Stream.of(
                    Named.of("another version", token -> hello(token, "h2").put("v", 2)),
                    Named.of("no token", token -> msg("hello", "h2").put("v", 1)),
                    Named.of("a garbage token", token -> hello("not-a-token-at-all", "h2")));
        }

        /** Whatever else is wrong with it, a second hello is a second hello: the first identity and the connection stay. */
        @ParameterizedTest(name = "a second hello with {0}")
        @MethodSource("secondHellos")
        void aSecondHelloOfAnyFormIsAlreadyAuthenticatedAndTheConnectionStays(Function<String, ObjectNode> secondHello) {
            try (PresenceClient carol = welcomed(DemoUser.CAROL)) {
                carol.send(secondHello.apply(token(DemoUser.BOB)));
                carol.expectError("already-authenticated", "h2");
                carol.assertAlive();
            }
        }

        @ParameterizedTest(name = "v = {0}")
        @ValueSource(ints = {0, 2})
        void anUnsupportedVersionIsRefusedAndClosedWith4000(int version) {
            String token = token(DemoUser.CAROL);
            try (PresenceClient client = connect("v" + version)) {
                client.send(hello(token, "hv").put("v", version));
                client.expectError("unsupported-version", "hv");
                assertThat(client.closeCode(PATIENCE)).isEqualTo(4000);
            }
        }

        @Test
        void aHelloWithoutATokenIsInvalidAndMayBeRetried() {
            String token = token(DemoUser.CAROL);
            try (PresenceClient client = connect("tokenless")) {
                client.send(msg("hello", "hb").put("v", 1));
                client.expectError("invalid", "hb");
                client.send(hello(token, "h1"));
                client.expect("welcome");
                client.assertAlive();
            }
        }

        @Test
        void noHelloWithinTenSecondsIsHelloTimeoutAndClosedWith4002() {
            try (PresenceClient client = connect("silent")) {
                long opened = System.nanoTime();
                JsonNode error = client.poll(Duration.ofSeconds(15));
                assertThat(error).as("an error within 15 s").isNotNull();
                assertThat(error.path("type").asText()).isEqualTo("error");
                assertThat(error.path("code").asText()).isEqualTo("hello-timeout");
                assertThat(Duration.ofNanos(System.nanoTime() - opened)).isGreaterThanOrEqualTo(Duration.ofMillis(9_500));
                assertThat(client.closeCode(PATIENCE)).isEqualTo(4002);
            }
        }

        @Test
        void aGarbageTokenIsUnauthenticatedAndClosedWith4001() {
            try (PresenceClient client = connect("garbage")) {
                client.send(hello("not-a-token-at-all", "hg"));
                client.expectError("unauthenticated", "hg");
                assertThat(client.closeCode(PATIENCE)).isEqualTo(4001);
            }
        }

        @Test
        void anExpiredTokenIsUnauthenticatedAndClosedWith4001() {
            String token = Keycloak.shortLivedAccessToken(DemoUser.ALICE);
            Instant expiry = Keycloak.expiry(token);
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                    .until(() -> Instant.now().isAfter(expiry.plusSeconds(1)));
            try (PresenceClient client = connect("expired")) {
                client.send(hello(token, "hx"));
                client.expectError("unauthenticated", "hx");
                assertThat(client.closeCode(PATIENCE)).isEqualTo(4001);
            }
        }
    }

    /** {@code subscribe} and {@code unsubscribe} in a form that is not one, or past the limit. */
    @Nested
    class Subscriptions {

        static Stream<Named<UnaryOperator<ObjectNode>>> illFormedUserIds() {
            return Stream.of(
                    Named.of("no userIds", message -> message),
                    Named.of("an empty list", message -> withIds(message, List.of())),
                    Named.of("a string", message -> withIds(message, "someone")),
                    Named.of("an object", message -> withIds(message, Map.of("userId", "someone"))),
                    Named.of("201 ids", message -> withIds(message, ids(201, "many"))),
                    Named.of("a number among them", message -> withIds(message, List.of(syntheticUser("n"), 42))),
                    Named.of("an empty id among them", message -> withIds(message, List.of(syntheticUser("e"), ""))),
                    Named.of("a 256-character id among them", message -> withIds(message, List.of(syntheticUser("l"), "u".repeat(256)))));
        }

        @ParameterizedTest(name = "subscribe with {0} is invalid")
        @MethodSource("illFormedUserIds")
        void anIllFormedSubscribeIsInvalidAndSubscribesNobody(UnaryOperator<ObjectNode> shape) {
            String control = syntheticUser("control");
            try (PresenceClient carol = welcomed(DemoUser.CAROL)) {
                carol.subscribed(List.of(control));
                ObjectNode bad = shape.apply(msg("subscribe", "sx"));
                carol.send(bad);
                carol.expectError("invalid", "sx");
                List<String> named = new ArrayList<>();
                bad.path("userIds").forEach(id -> {
                    if (id.isTextual() && !id.asText().isBlank() && id.asText().length() <= 255) {
                        named.add(id.asText());
                    }
                });
                // Of the ids it named, none is subscribed (the first 10 of 201 are checked).
                assertNotSubscribed(carol, control, named.stream().limit(10).toArray(String[]::new));
            }
        }

        @ParameterizedTest(name = "unsubscribe with {0} is invalid")
        @MethodSource("illFormedUserIds")
        void anIllFormedUnsubscribeIsInvalidAndKeepsEverySubscription(UnaryOperator<ObjectNode> shape) {
            String watched = syntheticUser("watched");
            try (PresenceClient carol = welcomed(DemoUser.CAROL)) {
                carol.subscribed(List.of(watched));
                ObjectNode bad = shape.apply(msg("unsubscribe", "ux"));
                if (bad.path("userIds").isArray() && !bad.path("userIds").isEmpty()) {
                    // The subscribed user among the ids of the ill-formed message: still not unsubscribed.
                    ((com.fasterxml.jackson.databind.node.ArrayNode) bad.path("userIds")).add(watched);
                }
                carol.send(bad);
                carol.expectError("invalid", "ux");
                bringOnline(watched);
                JsonNode update = carol.expect("presence");
                assertThat(update.path("userId").asText()).isEqualTo(watched);
                assertThat(update.path("status").asText()).isEqualTo("online");
            }
        }

        @Test
        void aSubscribePastOneThousandUsersIsRefusedAndAddsNobody() {
            String control = syntheticUser("control");
            List<String> target = List.of(syntheticUser("over-a"), syntheticUser("over-b"));
            try (PresenceClient carol = welcomed(DemoUser.CAROL)) {
                carol.subscribed(List.of(control));
                // 999 more: 1000 in all, the most a connection may hold.
                List<String> filler = ids(999, "filler");
                for (int from = 0; from < filler.size(); from += 200) {
                    carol.subscribed(filler.subList(from, Math.min(filler.size(), from + 200)));
                }
                carol.send(subscribe("s-over", target));
                carol.expectError("too-many-subscriptions", "s-over");
                carol.assertAlive();
                assertNotSubscribed(carol, control, target.toArray(String[]::new));
            }
        }
    }

    /** Rings that may not be made, and answers and cancels of rings that are not one's own. */
    @Nested
    class Ringing {

        private String newRoom() {
            return RoomId.random(RANDOM).value();
        }

        @Test
        void ringingYourselfIsRefusedAndReachesNoneOfYourDevices() {
            device(DemoUser.ALICE, "online");
            try (PresenceClient alice = welcomed(DemoUser.ALICE); PresenceClient alicePhone = welcomed(DemoUser.ALICE)) {
                alice.send(ring("r-self", alice.userId(), newRoom()));
                alice.expectError("cannot-ring-self", "r-self");
                alicePhone.assertNothingWithin(QUIET);
                alice.assertAlive();
            }
        }

        @Test
        void ringingSomeoneWithNoDeviceIsCalleeOffline() {
            try (PresenceClient alice = welcomed(DemoUser.ALICE)) {
                alice.send(ring("r-off", syntheticUser("nobody"), newRoom()));
                alice.expectError("callee-offline", "r-off");
                alice.assertAlive();
            }
        }

        @Test
        void ringingSomeoneBusyIsCalleeBusyAndReachesThemNot() {
            device(DemoUser.BOB, "busy");
            device(DemoUser.BOB, "online");
            // Busy; or in a call, should a suite running elsewhere on the shared stack have put BOB in one.
            await().atMost(PATIENCE).untilAsserted(() -> presenceOf(subject(DemoUser.BOB))
                    .body("status", org.hamcrest.Matchers.oneOf("busy", "in-call")));
            try (PresenceClient bob = welcomed(DemoUser.BOB); PresenceClient alice = welcomed(DemoUser.ALICE)) {
                alice.send(ring("r-busy", subject(DemoUser.BOB), newRoom()));
                JsonNode error = alice.expectError("callee-busy", "r-busy");
                assertThat(error.path("status").asText()).isIn("busy", "in-call");
                bob.assertNothingWithin(QUIET);
                alice.assertAlive();
            }
        }

        @Test
        void ringingSomeoneInACallIsCalleeBusyWithTheirRoom() {
            String caller = syntheticUser("in-call");
            bringOnline(caller);
            String room = putInCall(caller);
            try (PresenceClient alice = welcomed(DemoUser.ALICE)) {
                alice.send(ring("r-call", caller, newRoom()));
                JsonNode error = alice.expectError("callee-busy", "r-call");
                assertThat(error.path("status").asText()).isEqualTo("in-call");
                assertThat(error.path("roomId").asText()).isEqualTo(room);
            }
        }

        static Stream<Named<Function<String, ObjectNode>>> illFormedRings() {
            return Stream.of(
                    Named.of("no roomId", bob -> msg("ring", "rx").put("userId", bob)),
                    Named.of("an upper-case roomId", bob -> ring("rx", bob, "ABCD-EFGH-IJKL")),
                    Named.of("a short roomId", bob -> ring("rx", bob, "abcd-efgh")),
                    Named.of("a numeric roomId", bob -> msg("ring", "rx").put("userId", bob).put("roomId", 42)),
                    Named.of("no userId", bob -> msg("ring", "rx").put("roomId", "abcd-efgh-ijkl")),
                    Named.of("a numeric userId", bob -> msg("ring", "rx").put("userId", 42).put("roomId", "abcd-efgh-ijkl")),
                    Named.of("an empty userId", bob -> ring("rx", "", "abcd-efgh-ijkl")),
                    Named.of("a numeric inviteCode", bob -> ring("rx", bob, "abcd-efgh-ijkl").put("inviteCode", 7)));
        }

        @ParameterizedTest(name = "a ring with {0} is invalid")
        @MethodSource("illFormedRings")
        void anIllFormedRingIsInvalidAndReachesNobody(Function<String, ObjectNode> badRing) {
            device(DemoUser.BOB, "online");
            try (PresenceClient bob = welcomed(DemoUser.BOB); PresenceClient alice = welcomed(DemoUser.ALICE)) {
                alice.send(badRing.apply(subject(DemoUser.BOB)));
                JsonNode error = alice.expectError("invalid", "rx");
                assertThat(error.path("message").asText()).isNotBlank();
                bob.assertNothingWithin(QUIET);
                alice.assertAlive();
            }
        }

        @Test
        void answeringOrCancellingAnUnknownRingIsRingNotFound() {
            try (PresenceClient alice = welcomed(DemoUser.ALICE)) {
                String ringId = "ring-" + UUID.randomUUID();
                alice.send(answerRing("a-unknown", ringId, true));
                alice.expectError("ring-not-found", "a-unknown");
                alice.send(cancelRing("c-unknown", ringId));
                alice.expectError("ring-not-found", "c-unknown");
                alice.assertAlive();
            }
        }

        @Test
        void answeringOrCancellingSomeoneElsesRingIsRingNotFoundAndTheRingGoesOn() {
            device(DemoUser.BOB, "online");
            device(DemoUser.DAVE, "online");
            try (PresenceClient bob = welcomed(DemoUser.BOB); PresenceClient alice = welcomed(DemoUser.ALICE);
                 PresenceClient dave = welcomed(DemoUser.DAVE)) {
                String room = newRoom();
                alice.send(ring("r1", bob.userId(), room));
                JsonNode ringing = alice.expect("ringing");
                assertThat(ringing.path("ref").asText()).isEqualTo("r1");
                String ringId = ringing.path("ringId").asText();
                JsonNode incoming = bob.expect("incoming-call");
                assertThat(incoming.path("ringId").asText()).isEqualTo(ringId);
                assertThat(incoming.path("roomId").asText()).isEqualTo(room);

                // DAVE, neither caller nor callee, knows the ring id and tries both.
                dave.send(answerRing("a-dave", ringId, true));
                dave.expectError("ring-not-found", "a-dave");
                dave.send(cancelRing("c-dave", ringId));
                dave.expectError("ring-not-found", "c-dave");

                // The ring is intact (the test profile's rings last 2 s): BOB can still decline it,
                // and the first thing either side hears is that, not DAVE's accept or cancel.
                bob.send(answerRing("a-bob", ringId, false));
                JsonNode declined = alice.next();
                assertThat(declined.path("type").asText()).as("alice received %s", declined).isEqualTo("ring-declined");
                assertThat(declined.path("ringId").asText()).isEqualTo(ringId);
                assertThat(declined.path("userId").asText()).isEqualTo(bob.userId());
                JsonNode ended = bob.next();
                assertThat(ended.path("type").asText()).as("bob received %s", ended).isEqualTo("ring-ended");
                assertThat(ended.path("outcome").asText()).isEqualTo("declined");

                // Once ended, it is gone for its own caller and callee too.
                bob.send(answerRing("a-again", ringId, true));
                bob.expectError("ring-not-found", "a-again");
                alice.send(cancelRing("c-late", ringId));
                alice.expectError("ring-not-found", "c-late");
                alice.assertNothingWithin(QUIET);
                bob.assertNothingWithin(Duration.ZERO);
                dave.assertNothingWithin(Duration.ZERO);
            }
        }

        @Test
        void anAnswerOrCancelOfNoRingIdIsInvalidAndLeavesTheRing() {
            device(DemoUser.BOB, "online");
            try (PresenceClient bob = welcomed(DemoUser.BOB); PresenceClient alice = welcomed(DemoUser.ALICE)) {
                alice.send(ring("r1", bob.userId(), newRoom()));
                String ringId = alice.expect("ringing").path("ringId").asText();
                bob.expect("incoming-call");
                bob.send(msg("answer-ring", "a-yes").put("ringId", ringId).put("accept", "yes"));
                bob.expectError("invalid", "a-yes");
                bob.send(msg("answer-ring", "a-none").put("ringId", ringId));
                bob.expectError("invalid", "a-none");
                bob.send(msg("answer-ring", "a-noid").put("accept", true));
                bob.expectError("invalid", "a-noid");
                alice.send(msg("cancel-ring", "c-noid"));
                alice.expectError("invalid", "c-noid");
                alice.send(msg("cancel-ring", "c-num").put("ringId", 42));
                alice.expectError("invalid", "c-num");
                // Still ringing: the caller's cancel is the first thing either side hears.
                alice.send(cancelRing("c1", ringId));
                JsonNode callerEnd = alice.next();
                assertThat(callerEnd.path("type").asText()).as("alice received %s", callerEnd).isEqualTo("ring-ended");
                assertThat(callerEnd.path("outcome").asText()).isEqualTo("cancelled");
                JsonNode calleeEnd = bob.next();
                assertThat(calleeEnd.path("type").asText()).as("bob received %s", calleeEnd).isEqualTo("ring-ended");
                assertThat(calleeEnd.path("outcome").asText()).isEqualTo("cancelled");
            }
        }
    }

    /**
     * Guests (a guest token from signaling) see only themselves and the people in their room's
     * call, and cannot ring: 403 over REST, {@code forbidden} on the socket, and nothing changed.
     */
    @Nested
    class Guests {

        /** A room whose call two synthetic members are in, and a guest token of that room. */
        private record GuestRoom(String roomId, String host, String member, GuestIdentity guest, String token) {
        }

        private GuestRoom guestRoom() {
            String roomId = RoomId.random(RANDOM).value();
            String host = syntheticUser("host");
            String member = syntheticUser("member");
            putInCall(host, roomId);
            putInCall(member, roomId);
            GuestIdentity guest = GuestIdentity.create("Gus Guest", new RoomId(roomId), RANDOM);
            return new GuestRoom(roomId, host, member, guest, guestTokens.issue(guest).token());
        }

        @Test
        void aGuestLookingOutsideTheirRoomIsForbidden() {
            GuestRoom room = guestRoom();
            given().auth().oauth2(room.token()).when().get("/api/v1/presence/users/" + subject(DemoUser.CAROL))
                    .then().statusCode(403).contentType("application/problem+json")
                    .body("type", equalTo(PROBLEMS + "not-in-your-room"));
            given().auth().oauth2(room.token()).contentType(ContentType.JSON)
                    .body(Map.of("userIds", List.of(room.host(), subject(DemoUser.CAROL))))
                    .when().post("/api/v1/presence/query")
                    .then().statusCode(403)
                    .body("type", equalTo(PROBLEMS + "not-in-your-room"));
            given().auth().oauth2(room.token()).when().get("/api/v1/presence/rooms/" + RoomId.random(RANDOM).value())
                    .then().statusCode(403)
                    .body("type", equalTo(PROBLEMS + "not-your-room"));
            // What the guest may see is still there.
            given().auth().oauth2(room.token()).when().get("/api/v1/presence/rooms/" + room.roomId())
                    .then().statusCode(200).body("participants.size()", equalTo(2));
        }

        @Test
        void aGuestTokenMovedToAnotherRoomIsUnauthenticated() {
            GuestRoom room = guestRoom();
            String otherRoom = RoomId.random(RANDOM).value();
            String[] parts = room.token().split("\\.");
            String claims = new String(Base64.getUrlDecoder().decode(parts[1])).replace(room.roomId(), otherRoom);
            assertThat(claims).contains(otherRoom);
            String forged = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(claims.getBytes())
                    + "." + parts[2];
            given().auth().oauth2(forged).when().get("/api/v1/presence/rooms/" + otherRoom)
                    .then().statusCode(401)
                    .body("type", equalTo(PROBLEMS + "unauthenticated"));
            try (PresenceClient client = connect("forger")) {
                client.send(hello(forged, "hf"));
                client.expectError("unauthenticated", "hf");
                assertThat(client.closeCode(PATIENCE)).isEqualTo(4001);
            }
        }

        @Test
        void aGuestSubscribingToSomeoneOutsideTheirRoomIsForbiddenAndFollowsNobodyOfThatMessage() {
            GuestRoom room = guestRoom();
            String outsider = syntheticUser("outsider");
            try (PresenceClient guest = welcomed(room.token(), "guest")) {
                guest.subscribed(List.of(room.member()));
                guest.send(subscribe("s-out", List.of(room.host(), outsider)));
                guest.expectError("forbidden", "s-out");
                guest.assertAlive();
                // Neither the outsider nor the host named with them is followed.
                assertNotSubscribed(guest, room.member(), outsider, room.host());
            }
        }

        @Test
        void aGuestRingingIsForbiddenAndReachesNobody() {
            GuestRoom room = guestRoom();
            device(DemoUser.BOB, "online");
            try (PresenceClient bob = welcomed(DemoUser.BOB); PresenceClient guest = welcomed(room.token(), "guest")) {
                guest.send(ring("r-guest", bob.userId(), room.roomId()));
                guest.expectError("forbidden", "r-guest");
                bob.assertNothingWithin(QUIET);
                guest.assertAlive();
            }
        }
    }

    @Nested
    class Flooding {

        @Test
        void aFloodIsDroppedThenCutOffWith1008AndOtherConnectionsAreUntouched() {
            try (PresenceClient carol = welcomed(DemoUser.CAROL); PresenceClient dave = welcomed(DemoUser.DAVE)) {
                long started = System.nanoTime();
                int sent = 0;
                for (int i = 0; i < 400; i++) {
                    if (!carol.trySend(msg("ping", "f" + i).toString())) {
                        break;
                    }
                    sent++;
                }
                int pongs = 0;
                int rateLimited = 0;
                while (true) {
                    JsonNode message = carol.next();
                    String type = message.path("type").asText();
                    String code = message.path("code").asText();
                    if (type.equals("pong")) {
                        pongs++;
                    } else if (code.equals("rate-limited")) {
                        rateLimited++;
                    } else if (code.equals("abusive")) {
                        break;
                    } else {
                        throw new AssertionError("carol received " + message);
                    }
                }
                double seconds = (System.nanoTime() - started) / 1e9;
                assertThat(carol.closeCode(PATIENCE)).isEqualTo(1008);
                // abusive is the 100th dropped message (the rate-limited errors before it: 99).
                assertThat(rateLimited + 1).isEqualTo(100);
                assertThat(pongs).as("answered (sent %d in %.1f s)", sent, seconds)
                        .isGreaterThanOrEqualTo(1)
                        .isLessThanOrEqualTo(40 + (int) Math.ceil(20 * seconds) + 1);
                dave.assertAlive();
            }
        }
    }
}
