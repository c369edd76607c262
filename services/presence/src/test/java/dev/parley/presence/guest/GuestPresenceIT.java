package dev.parley.presence.guest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.events.Topic;
import dev.parley.events.call.CallEvents.ParticipantJoined;
import dev.parley.events.call.CallParticipant;
import dev.parley.events.call.CallRole;
import dev.parley.events.call.ParticipantId;
import dev.parley.events.identity.UserId;
import dev.parley.events.kafka.JsonEventSerializer;
import dev.parley.events.room.RoomId;
import dev.parley.runtime.guest.GuestIdentity;
import dev.parley.runtime.guest.GuestTokens;
import dev.parley.testing.DemoUser;
import dev.parley.testing.JsonSocket;
import dev.parley.testing.Keycloak;
import dev.parley.testing.LocalStack;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static dev.parley.testing.JsonSocket.message;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/** A guest sees themselves and the people in their room's call, and nobody else in the realm. */
@QuarkusTest
class GuestPresenceIT {

    private static final SecureRandom RANDOM = new SecureRandom();

    @Inject
    GuestTokens guestTokens;

    @TestHTTPResource("/")
    URL base;

    @Test
    void aGuestSeesOnlyTheirRoom() throws Exception {
        RoomId room = RoomId.random(RANDOM);
        UserId host = new UserId("host-" + room.value());
        try (KafkaProducer<String, Object> kafka = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, LocalStack.kafkaBootstrap()),
                new StringSerializer(), new JsonEventSerializer<>())) {
            kafka.send(new ProducerRecord<>(Topic.CALLS.topicName(), room.value(), new ParticipantJoined(room,
                    new CallParticipant(ParticipantId.random(RANDOM), host, "Host", true, CallRole.HOST, false, Instant.now()),
                    Instant.now()))).get();
        }
        GuestIdentity guest = GuestIdentity.create("Gina Guest", room, RANDOM);
        String token = guestTokens.issue(guest).token();
        String carol = Keycloak.subject(Keycloak.accessToken(DemoUser.CAROL));

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                given().auth().oauth2(token).when().get("/api/v1/presence/users/" + host.value())
                        .then().statusCode(200).body("status", equalTo("in-call")));
        given().auth().oauth2(token).when().get("/api/v1/presence/users/" + guest.userId().value())
                .then().statusCode(200);
        given().auth().oauth2(token).when().get("/api/v1/presence/users/" + carol)
                .then().statusCode(403).body("type", equalTo("https://parley.dev/problems/not-in-your-room"));
        given().auth().oauth2(token).contentType(ContentType.JSON)
                .body(Map.of("userIds", List.of(host.value(), carol)))
                .when().post("/api/v1/presence/query")
                .then().statusCode(403).body("type", equalTo("https://parley.dev/problems/not-in-your-room"));
        given().auth().oauth2(token).when().get("/api/v1/presence/rooms/" + room.value())
                .then().statusCode(200).body("participants[0].presence.userId", equalTo(host.value()));
        given().auth().oauth2(token).when().get("/api/v1/presence/rooms/" + RoomId.random(RANDOM).value())
                .then().statusCode(403).body("type", equalTo("https://parley.dev/problems/not-your-room"));

        try (JsonSocket socket = JsonSocket.welcomed(base.toString().replaceAll("/$", ""), "/ws/v1/presence", token, "guest")) {
            ObjectNode outside = message("subscribe").put("id", "s1");
            outside.putArray("userIds").add(carol);
            socket.send(outside);
            assertThat(socket.expect("error").path("code").asText()).isEqualTo("forbidden");
            ObjectNode inside = message("subscribe").put("id", "s2");
            inside.putArray("userIds").add(host.value());
            socket.send(inside);
            socket.expect("subscribed");
            assertThat(socket.expect("presence").path("status").asText()).isEqualTo("in-call");
            socket.send(message("ring").put("id", "r").put("userId", host.value()).put("roomId", room.value()));
            assertThat(socket.expect("error").path("code").asText()).isEqualTo("forbidden");
        }
    }
}
