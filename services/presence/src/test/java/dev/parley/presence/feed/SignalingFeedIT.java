package dev.parley.presence.feed;

import dev.parley.events.Topic;
import dev.parley.events.call.CallEvents.CallEnded;
import dev.parley.events.call.CallEvents.LeaveReason;
import dev.parley.events.call.CallEvents.ParticipantJoined;
import dev.parley.events.call.CallEvents.ParticipantLeft;
import dev.parley.events.call.CallParticipant;
import dev.parley.events.call.CallRole;
import dev.parley.events.call.ParticipantId;
import dev.parley.events.connection.ConnectionEvent;
import dev.parley.events.identity.UserId;
import dev.parley.events.kafka.JsonEventSerializer;
import dev.parley.events.room.RoomId;
import dev.parley.testing.DemoUser;
import dev.parley.testing.Keycloak;
import dev.parley.testing.LocalStack;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

/**
 * Presence driven by signaling's events on the real broker, published here as signaling would:
 * call connections make a user online while their replica beats; calls make them in-call.
 */
@QuarkusTest
class SignalingFeedIT {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static KafkaProducer<String, Object> kafka;
    private static String carol;

    @Inject
    RedisDataSource redis;

    @BeforeAll
    static void connect() {
        kafka = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, LocalStack.kafkaBootstrap()),
                new StringSerializer(), new JsonEventSerializer<>());
        carol = Keycloak.accessToken(DemoUser.CAROL);
    }

    @AfterAll
    static void close() {
        kafka.close();
    }

    private static void publish(Topic topic, String key, Object event) throws Exception {
        kafka.send(new ProducerRecord<>(topic.topicName(), key, event)).get();
    }

    private static void eventually(String user, Consumer<ValidatableResponse> check) {
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
                check.accept(given().auth().oauth2(carol).when().get("/api/v1/presence/users/" + user).then().statusCode(200)));
    }

    private void replicaBeats(String replica) {
        redis.value(String.class).psetex("parley:replica:" + replica, 60_000, "alive");
    }

    @Test
    void aCallConnectionMakesItsUserOnlineUntilItClosesOrItsReplicaDies() throws Exception {
        UserId user = new UserId("feed-" + UUID.randomUUID());
        String replica = "replica-" + UUID.randomUUID();
        replicaBeats(replica);
        publish(Topic.CONNECTIONS, user.value(), new ConnectionEvent(user, "c1", replica, ConnectionEvent.Change.OPENED, Instant.now()));
        publish(Topic.CONNECTIONS, user.value(), new ConnectionEvent(user, "c2", replica, ConnectionEvent.Change.OPENED, Instant.now()));
        eventually(user.value(), response -> response.body("status", equalTo("online")).body("devices", equalTo(2)));

        publish(Topic.CONNECTIONS, user.value(), new ConnectionEvent(user, "c1", replica, ConnectionEvent.Change.CLOSED, Instant.now()));
        eventually(user.value(), response -> response.body("status", equalTo("online")).body("devices", equalTo(1)));

        // The replica dies without closing anything: its beat expires, and the sweeper notices.
        long died = System.nanoTime();
        redis.key().del("parley:replica:" + replica);
        eventually(user.value(), response -> response.body("status", equalTo("offline")).body("devices", equalTo(0)));
        // The sweep runs every 200 ms in the test profile (1 s in production).
        assertThat(Duration.ofNanos(System.nanoTime() - died)).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void joiningALeavingCallsMakesAUserInCallAndTheRoomListsThem() throws Exception {
        UserId user = new UserId("caller-" + UUID.randomUUID());
        RoomId room = RoomId.random(RANDOM);
        ParticipantId place = ParticipantId.random(RANDOM);
        CallParticipant participant = new CallParticipant(place, user, "Caller", true, CallRole.HOST, false, Instant.now());
        publish(Topic.CALLS, room.value(), new ParticipantJoined(room, participant, Instant.now()));
        eventually(user.value(), response -> response.body("status", equalTo("in-call")).body("roomId", equalTo(room.value())));
        given().auth().oauth2(carol).when().get("/api/v1/presence/rooms/" + room.value())
                .then().statusCode(200)
                .body("participants[0].participantId", equalTo(place.value()))
                .body("participants[0].presence.userId", equalTo(user.value()))
                .body("participants[0].presence.status", equalTo("in-call"));

        publish(Topic.CALLS, room.value(), new ParticipantLeft(room, place, user, LeaveReason.TIMED_OUT, null, Instant.now()));
        eventually(user.value(), response -> response.body("status", equalTo("offline")).body("roomId", nullValue()));
        given().auth().oauth2(carol).when().get("/api/v1/presence/rooms/" + room.value())
                .then().statusCode(200).body("participants.size()", equalTo(0));
    }

    @Test
    void anEndedCallTakesEveryoneOutOfIt() throws Exception {
        RoomId room = RoomId.random(RANDOM);
        UserId first = new UserId("first-" + UUID.randomUUID());
        UserId second = new UserId("second-" + UUID.randomUUID());
        for (UserId user : new UserId[] {first, second}) {
            publish(Topic.CALLS, room.value(), new ParticipantJoined(room,
                    new CallParticipant(ParticipantId.random(RANDOM), user, "P", true, CallRole.PARTICIPANT, false, Instant.now()),
                    Instant.now()));
        }
        eventually(second.value(), response -> response.body("status", equalTo("in-call")));
        publish(Topic.CALLS, room.value(), new CallEnded(room, first, Instant.now()));
        eventually(first.value(), response -> response.body("status", equalTo("offline")));
        eventually(second.value(), response -> response.body("status", equalTo("offline")));
    }
}
