package dev.parley.signaling.room;

import dev.parley.events.Topic;
import dev.parley.events.room.RoomCreated;
import dev.parley.events.room.RoomEnded;
import dev.parley.events.room.RoomEvent;
import dev.parley.events.room.RoomEventDeserializer;
import dev.parley.testing.DemoUser;
import dev.parley.testing.Keycloak;
import dev.parley.testing.LocalStack;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

/** The rooms API against the real Kafka, Redis and Keycloak. */
@QuarkusTest
class RoomApiIT {

    private static String alice;

    @BeforeAll
    static void tokens() {
        alice = Keycloak.accessToken(DemoUser.ALICE);
    }

    @Test
    void aCreatedRoomIsRecordedOnTheRoomsTopicAndCanBeRead() {
        io.restassured.response.Response created = given().auth().oauth2(alice).contentType(ContentType.JSON)
                .body(Map.of("name", "  Design review ", "lobby", true, "maxParticipants", 12))
                .when().post("/api/v1/rooms")
                .then().statusCode(201)
                .body("settings.name", equalTo("Design review"))
                .body("settings.lobby", equalTo(true))
                .body("settings.ssoOnly", equalTo(false))
                .body("settings.maxParticipants", equalTo(12))
                .body("hosts", contains(Keycloak.subject(alice)))
                .body("createdAt", notNullValue())
                .extract().response();
        String roomId = created.path("id");
        assertThat(created.header("Location")).endsWith("/api/v1/rooms/" + roomId);

        given().auth().oauth2(Keycloak.accessToken(DemoUser.CAROL))
                .when().get("/api/v1/rooms/" + roomId)
                .then().statusCode(200)
                .body("id", equalTo(roomId))
                .body("settings.name", equalTo("Design review"));

        RoomEvent recorded = findOnRoomsTopic(roomId);
        assertThat(recorded).isInstanceOfSatisfying(RoomCreated.class, event -> {
            assertThat(event.by().value()).isEqualTo(Keycloak.subject(alice));
            assertThat(event.room().settings().maxParticipants()).isEqualTo(12);
        });
    }

    @Test
    void omittedSettingsTakeTheirDefaults() {
        given().auth().oauth2(alice).contentType(ContentType.JSON)
                .body(Map.of("name", "Stand-up"))
                .when().post("/api/v1/rooms")
                .then().statusCode(201)
                .body("settings.maxParticipants", equalTo(100))
                .body("settings.lobby", equalTo(false))
                .body("settings.locked", equalTo(false));
    }

    @Test
    void invalidSettingsAreRejectedFieldByField() {
        given().auth().oauth2(alice).contentType(ContentType.JSON)
                .body(Map.of("name", " ", "maxParticipants", 1))
                .when().post("/api/v1/rooms")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("https://parley.dev/problems/invalid-request"))
                .body("violations.field", contains("maxParticipants", "name"));

        given().auth().oauth2(alice).contentType(ContentType.JSON)
                .body(Map.of("name", "x".repeat(121), "maxParticipants", 1001))
                .when().post("/api/v1/rooms")
                .then().statusCode(400)
                .body("violations.field", contains("maxParticipants", "name"));
    }

    @Test
    void malformedOrMissingBodiesAreRejected() {
        given().auth().oauth2(alice).contentType(ContentType.JSON).body("{\"name\": ")
                .when().post("/api/v1/rooms")
                .then().statusCode(400)
                .contentType("application/problem+json");

        given().auth().oauth2(alice).contentType(ContentType.JSON)
                .when().post("/api/v1/rooms")
                .then().statusCode(400)
                .contentType("application/problem+json");

        given().auth().oauth2(alice).contentType(ContentType.JSON).body("{\"name\": \"ok\", \"lobby\": \"perhaps\"}")
                .when().post("/api/v1/rooms")
                .then().statusCode(400)
                .contentType("application/problem+json");

        given().auth().oauth2(alice).contentType(ContentType.TEXT).body("name=ok")
                .when().post("/api/v1/rooms")
                .then().statusCode(415)
                .contentType("application/problem+json");
    }

    @Test
    void unknownAndMalformedRoomIdsAreTypedErrors() {
        given().auth().oauth2(alice)
                .when().get("/api/v1/rooms/zzzz-zzzz-zzzz")
                .then().statusCode(404)
                .contentType("application/problem+json")
                .body("type", equalTo("https://parley.dev/problems/room-not-found"));

        given().auth().oauth2(alice)
                .when().get("/api/v1/rooms/NOT_A_ROOM")
                .then().statusCode(400)
                .body("type", equalTo("https://parley.dev/problems/malformed-room-id"));
    }

    @Test
    void hostsChangeSettingsAndEndTheRoomOthersCannot() {
        String roomId = given().auth().oauth2(alice).contentType(ContentType.JSON)
                .body(Map.of("name", "Board meeting", "maxParticipants", 8))
                .when().post("/api/v1/rooms")
                .then().statusCode(201).extract().path("id");
        String bob = Keycloak.accessToken(DemoUser.BOB);

        given().auth().oauth2(bob).contentType(ContentType.JSON).body(Map.of("locked", true))
                .when().patch("/api/v1/rooms/" + roomId)
                .then().statusCode(403)
                .body("type", equalTo("https://parley.dev/problems/not-a-host"));
        given().auth().oauth2(bob).when().post("/api/v1/rooms/" + roomId + "/end")
                .then().statusCode(403)
                .body("type", equalTo("https://parley.dev/problems/not-a-host"));

        given().auth().oauth2(alice).contentType(ContentType.JSON).body(Map.of("locked", true, "name", "Board"))
                .when().patch("/api/v1/rooms/" + roomId)
                .then().statusCode(200)
                .body("settings.locked", equalTo(true))
                .body("settings.name", equalTo("Board"))
                .body("settings.maxParticipants", equalTo(8));
        given().auth().oauth2(bob).when().get("/api/v1/rooms/" + roomId)
                .then().statusCode(200)
                .body("settings.locked", equalTo(true))
                .body("endedAt", nullValue());

        given().auth().oauth2(alice).contentType(ContentType.JSON).body(Map.of("maxParticipants", 1, "name", " "))
                .when().patch("/api/v1/rooms/" + roomId)
                .then().statusCode(400)
                .body("violations.field", contains("maxParticipants", "name"));

        given().auth().oauth2(alice).when().post("/api/v1/rooms/" + roomId + "/end")
                .then().statusCode(200)
                .body("endedAt", notNullValue());
        given().auth().oauth2(alice).contentType(ContentType.JSON).body(Map.of("locked", false))
                .when().patch("/api/v1/rooms/" + roomId)
                .then().statusCode(409)
                .body("type", equalTo("https://parley.dev/problems/room-ended"));
        given().auth().oauth2(bob).when().get("/api/v1/rooms/" + roomId)
                .then().statusCode(200)
                .body("settings.locked", equalTo(true))
                .body("endedAt", notNullValue());
    }

    @Test
    void concurrentChangesNeverReopenAnEndedRoom() throws Exception {
        String roomId = given().auth().oauth2(alice).contentType(ContentType.JSON).body(Map.of("name", "Race"))
                .when().post("/api/v1/rooms").then().statusCode(201).extract().path("id");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Integer>> changes = IntStream.range(0, 16)
                    .mapToObj(i -> pool.submit(() -> i == 8
                            ? given().auth().oauth2(alice).when().post("/api/v1/rooms/" + roomId + "/end").statusCode()
                            : given().auth().oauth2(alice).contentType(ContentType.JSON)
                                    .body(Map.of("name", "Race " + i)).when().patch("/api/v1/rooms/" + roomId)
                                    .statusCode()))
                    .toList();
            for (Future<Integer> change : changes) {
                assertThat(change.get(30, TimeUnit.SECONDS)).isIn(200, 409);
            }
        } finally {
            pool.shutdownNow();
        }
        given().auth().oauth2(alice).when().get("/api/v1/rooms/" + roomId)
                .then().statusCode(200).body("endedAt", notNullValue());
        assertThat(findOnRoomsTopic(roomId)).isInstanceOf(RoomEnded.class);
    }

    @Test
    void unknownPathsAndMethodsAreProblemsToo() {
        given().auth().oauth2(alice).when().get("/api/v1/nothing-here")
                .then().statusCode(404)
                .contentType("application/problem+json")
                .body("type", equalTo("https://parley.dev/problems/http-404"));
        given().auth().oauth2(alice).when().delete("/api/v1/rooms/abcd-efgh-ijkl")
                .then().statusCode(405)
                .contentType("application/problem+json")
                .body("type", equalTo("https://parley.dev/problems/http-405"));
        given().auth().oauth2(alice).accept("application/xml").when().get("/api/v1/rooms/abcd-efgh-ijkl")
                .then().statusCode(406)
                .body(containsString("http-406"));
    }

    @Test
    void roomCreationIsCounted() {
        given().auth().oauth2(alice).contentType(ContentType.JSON).body(Map.of("name", "Counted"))
                .when().post("/api/v1/rooms").then().statusCode(201);

        given().when().get("/q/metrics")
                .then().statusCode(200)
                .body(containsString("parley_room_events_total{type=\"RoomCreated\"}"));
    }

    /**
     * The room's latest record on the rooms topic. Values are read as bytes and decoded here, so
     * that records other tests leave on the shared topic (including deliberately broken ones) are
     * passed over instead of stopping the scan.
     */
    private static RoomEvent findOnRoomsTopic(String roomId) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, LocalStack.kafkaBootstrap(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        RoomEventDeserializer events = new RoomEventDeserializer();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config)) {
            List<TopicPartition> partitions = IntStream.range(0, Topic.ROOMS.partitions())
                    .mapToObj(p -> new TopicPartition(Topic.ROOMS.topicName(), p)).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            RoomEvent latest = null;
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (System.nanoTime() < deadline
                    && ends.entrySet().stream().anyMatch(end -> consumer.position(end.getKey()) < end.getValue())) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (roomId.equals(record.key())) {
                        latest = events.deserialize(record.topic(), record.value());
                    }
                }
            }
            if (latest == null) {
                throw new AssertionError("room " + roomId + " was not found on " + Topic.ROOMS.topicName());
            }
            return latest;
        }
    }
}
