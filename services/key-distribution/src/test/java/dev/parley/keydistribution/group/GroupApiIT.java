package dev.parley.keydistribution.group;

import dev.parley.events.Topic;
import dev.parley.events.identity.UserId;
import dev.parley.events.room.RoomCreated;
import dev.parley.events.room.RoomEvent;
import dev.parley.events.room.RoomEventSerializer;
import dev.parley.events.room.RoomId;
import dev.parley.events.room.RoomSettings;
import dev.parley.events.room.RoomState;
import dev.parley.testing.DemoUser;
import dev.parley.testing.Keycloak;
import dev.parley.testing.LocalStack;
import io.quarkus.test.junit.QuarkusTest;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * Key distribution opens one MLS group per room from the real rooms topic.
 */
@QuarkusTest
class GroupApiIT {

    private static KafkaProducer<String, RoomEvent> rooms;
    private static KafkaProducer<String, byte[]> raw;
    private static String token;

    @BeforeAll
    static void connect() {
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, LocalStack.kafkaBootstrap(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        rooms = new KafkaProducer<>(config, new StringSerializer(), new RoomEventSerializer());
        raw = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
        token = Keycloak.accessToken(DemoUser.BOB);
    }

    @AfterAll
    static void disconnect() {
        rooms.close();
        raw.close();
    }

    @Test
    void aNewRoomGetsExactlyOneGroupEvenWhenItsEventIsDeliveredTwice() throws Exception {
        RoomCreated created = newRoom();
        publish(created);

        String groupId = awaitGroup(created.roomId());
        assertThat(groupId).matches("[A-Za-z0-9_-]{43}");

        publish(created);
        RoomCreated marker = newRoom();
        publish(marker);
        awaitGroup(marker.roomId());
        given().auth().oauth2(token).when().get("/api/v1/groups/" + created.roomId())
                .then().statusCode(200).body("groupId", equalTo(groupId));
    }

    @Test
    void anUnreadableRecordIsSkippedAndLaterRoomsStillGetTheirGroup() throws Exception {
        raw.send(new ProducerRecord<>(Topic.ROOMS.topicName(), "abcd-efgh-ijkl",
                "{not json".getBytes(StandardCharsets.UTF_8))).get();
        RoomCreated after = newRoom();
        publish(after);

        awaitGroup(after.roomId());
    }

    @Test
    void unknownAndMalformedRoomsAreTypedErrors() {
        given().auth().oauth2(token).when().get("/api/v1/groups/zzzz-zzzz-zzz2")
                .then().statusCode(404)
                .contentType("application/problem+json")
                .body("type", equalTo("https://parley.dev/problems/group-not-found"));
        given().auth().oauth2(token).when().get("/api/v1/groups/%2e%2e")
                .then().statusCode(400)
                .body("type", equalTo("https://parley.dev/problems/malformed-room-id"));
        given().when().get("/api/v1/groups/zzzz-zzzz-zzz2")
                .then().statusCode(401)
                .contentType("application/problem+json");
    }

    @Test
    void readinessChecksTheRealKafkaAndRedis() {
        given().when().get("/q/health/ready")
                .then().statusCode(200)
                .body("status", equalTo("UP"));
    }

    private static RoomCreated newRoom() {
        UserId host = new UserId("test-host");
        Instant now = Instant.now();
        return new RoomCreated(RoomState.created(RoomId.random(new SecureRandom()),
                new RoomSettings("Group test", false, false, 10, false), host, now), now, host);
    }

    private static void publish(RoomCreated event) throws Exception {
        rooms.send(new ProducerRecord<>(Topic.ROOMS.topicName(), event.roomId().value(), event)).get();
    }

    private static String awaitGroup(RoomId roomId) {
        return await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                .until(() -> given().auth().oauth2(token).when().get("/api/v1/groups/" + roomId)
                        .then().extract(), response -> response.statusCode() == 200)
                .path("groupId");
    }
}
