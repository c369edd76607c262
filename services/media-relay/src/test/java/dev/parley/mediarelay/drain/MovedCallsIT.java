package dev.parley.mediarelay.drain;

import dev.parley.events.call.CallEvents.LeaveReason;
import dev.parley.events.call.CallEvents.MediaRestart;
import dev.parley.events.call.CallEvents.MediaRestartReason;
import dev.parley.events.call.CallEvents.ParticipantLeft;
import dev.parley.events.call.ParticipantId;
import dev.parley.events.identity.UserId;
import dev.parley.events.kafka.JsonEventSerializer;
import dev.parley.events.room.RoomId;
import dev.parley.mediarelay.placement.RelayHeartbeat;
import dev.parley.mediarelay.sdp.SdpFixtures;
import dev.parley.mediarelay.session.SessionRegistry;
import dev.parley.testing.Keycloak;
import dev.parley.testing.LocalStack;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A draining relay's calls move away (issue 7, "Placement": a draining relay "moves its calls away
 * before it exits"): signaling moves the room to another relay and says so on the room stream
 * ({@code media-restart}); this relay then closes the room's sessions, so its drain answers as soon
 * as its calls have moved. Not at once: the participants' old connections carry media while their
 * new ones start (make-before-break), so each session stays until its participant closes it or
 * the move grace ends; these sessions have no client, so the grace ends them. A move to this
 * relay, or between two others, closes nothing; a move of named participants (a cascaded room's
 * relay that died) closes only theirs. A profile of its own: draining is for good.
 */
@QuarkusTest
@TestProfile(MovedCallsIT.Draining.class)
class MovedCallsIT {

    public static class Draining implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("parley.media-relay.drain-timeout", "60s", "parley.media-relay.move-grace", GRACE.toSeconds() + "s");
        }
    }

    private static final Duration GRACE = Duration.ofSeconds(3);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String OFFER = SdpFixtures.offer(SdpFixtures.AUDIO_VIDEO_SCREEN);

    @Inject
    SessionRegistry sessions;
    @Inject
    RelayHeartbeat heartbeat;

    @Test
    void aDrainAnswersOnceSignalingHasMovedItsCallsElsewhere() throws Exception {
        String token = Keycloak.serviceToken();
        String room = base32(4) + "-" + base32(4) + "-" + base32(4);
        ParticipantId alice = participant();
        ParticipantId carol = participant();
        open(token, room, alice, OFFER);
        // carol only receives: her session marks a point in the room's stream.
        open(token, room, carol, SdpFixtures.offer(SdpFixtures.RECEIVE_ONLY_VIDEO)
                .replace("a=ssrc:1001 ", "a=ssrc:5001 ").replace("a=ice-ufrag:Xk3f", "a=ice-ufrag:C4r0"));
        // dave arrived through another relay, which had joined the room and died: he alone moves.
        ParticipantId dave = participant();
        open(token, room, dave, SdpFixtures.offer(SdpFixtures.RECEIVE_ONLY_VIDEO)
                .replace("a=ssrc:1001 ", "a=ssrc:6001 ").replace("a=ice-ufrag:Xk3f", "a=ice-ufrag:D4ve"));
        CompletableFuture<Response> drained = CompletableFuture.supplyAsync(() -> given().when().get("/q/drain"));
        await().atMost(Duration.ofSeconds(10)).until(() -> given().when().get("/q/health/ready").statusCode() == 503);

        String me = heartbeat.id().value();
        try (KafkaProducer<String, Object> kafka = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, LocalStack.kafkaBootstrap(), ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(), new JsonEventSerializer<>())) {
            RoomId roomId = new RoomId(room);
            // A room moving here, or between two other relays, closes nothing; carol's leave, after them
            // in the room's one partition, shows they were read.
            kafka.send(new ProducerRecord<>("parley.calls", room,
                    new MediaRestart(roomId, MediaRestartReason.RELAY_LOST, "relay-elsewhere", me, Instant.now())));
            kafka.send(new ProducerRecord<>("parley.calls", room,
                    new MediaRestart(roomId, MediaRestartReason.RELAY_LOST, "relay-elsewhere", "relay-third", Instant.now())));
            kafka.send(new ProducerRecord<>("parley.calls", room,
                    new MediaRestart(roomId, MediaRestartReason.RELAY_LOST, me, null, List.of(dave), Instant.now())));
            kafka.send(new ProducerRecord<>("parley.calls", room,
                    new ParticipantLeft(roomId, carol, new UserId("carol"), LeaveReason.LEFT, new UserId("carol"), Instant.now())));
            kafka.flush();
            await().atMost(Duration.ofSeconds(10)).until(() -> sessions.byParticipant(carol).isEmpty());
            long daveMoved = System.nanoTime();
            assertThat(sessions.byParticipant(alice)).as("a move to this relay, or of others, closes nothing").isPresent();
            assertThat(sessions.byParticipant(dave)).as("a moved participant's session stays while its new one starts")
                    .isPresent();
            await().atMost(GRACE.plusSeconds(5)).until(() -> sessions.byParticipant(dave).isEmpty());
            assertThat(Duration.ofNanos(System.nanoTime() - daveMoved)).as("closed by the grace, not at once")
                    .isGreaterThan(GRACE.dividedBy(2));
            assertThat(sessions.byParticipant(alice)).as("a move of named participants closes only theirs").isPresent();
            assertThat(drained).as("the drain waits for alice's session").isNotDone();

            // erin's leave, after the room's move in its partition, shows the move was read.
            ParticipantId erin = participant();
            open(token, room, erin, SdpFixtures.offer(SdpFixtures.RECEIVE_ONLY_VIDEO)
                    .replace("a=ssrc:1001 ", "a=ssrc:7001 ").replace("a=ice-ufrag:Xk3f", "a=ice-ufrag:E4in"));
            kafka.send(new ProducerRecord<>("parley.calls", room,
                    new MediaRestart(roomId, MediaRestartReason.RELAY_DRAINING, me, "relay-elsewhere", Instant.now())));
            kafka.send(new ProducerRecord<>("parley.calls", room,
                    new ParticipantLeft(roomId, erin, new UserId("erin"), LeaveReason.LEFT, new UserId("erin"), Instant.now())));
            kafka.flush();
            await().atMost(Duration.ofSeconds(10)).until(() -> sessions.byParticipant(erin).isEmpty());
        }
        assertThat(sessions.byParticipant(alice)).as("alice's old connection carries media while her new one starts")
                .isPresent();
        assertThat(drained).as("the drain waits for the moved session").isNotDone();
        Response answer = drained.get(GRACE.toSeconds() + 10, TimeUnit.SECONDS);
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.jsonPath().getInt("sessions")).isZero();
        assertThat(sessions.byParticipant(alice)).isEmpty();
    }

    private static void open(String token, String room, ParticipantId participant, String offer) {
        given().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of("sdp", offer))
                .when().put("/api/v1/rooms/" + room + "/participants/" + participant.value() + "/session")
                .then().statusCode(200);
    }

    private static ParticipantId participant() {
        return new ParticipantId("p-" + base32(26));
    }

    private static String base32(int letters) {
        String alphabet = "abcdefghijklmnopqrstuvwxyz234567";
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < letters; i++) {
            text.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return text.toString();
    }
}
