package dev.parley.keydistribution;

import dev.parley.client.kd.KeyDistributionClient;
import dev.parley.client.kd.Wire;
import dev.parley.client.mls.DeviceKeys;
import dev.parley.events.Topic;
import dev.parley.events.call.CallEvent;
import dev.parley.events.call.CallEvents;
import dev.parley.events.call.CallParticipant;
import dev.parley.events.call.CallRole;
import dev.parley.events.call.ParticipantId;
import dev.parley.events.identity.UserId;
import dev.parley.events.kafka.JsonEventSerializer;
import dev.parley.events.room.RoomId;
import dev.parley.testing.DemoUser;
import dev.parley.testing.Keycloak;
import dev.parley.testing.LocalStack;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;

import java.net.URI;
import java.net.http.HttpClient;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ExecutionException;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

/**
 * Calls as signaling reports them, published on the real {@code parley.calls} topic, and people
 * with registered devices talking to the key-distribution service under test.
 */
public final class CallFixture implements AutoCloseable {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final KafkaProducer<String, Object> kafka = new KafkaProducer<>(
            Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, LocalStack.kafkaBootstrap(), ProducerConfig.ACKS_CONFIG, "all"),
            new StringSerializer(), new JsonEventSerializer<>());
    private final URI service;

    /**
     * Waits until the service under test is ready, which includes having applied the group log as
     * it was when the service started (on a shared broker that can take a while).
     */
    public CallFixture(URI service) {
        this.service = service;
        await("key distribution ready").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100))
                .until(() -> given().baseUri(service.toString()).when().get("/q/health/ready").statusCode() == 200);
    }

    /** A person with a client of the service under test. */
    public record Person(UserId userId, String token, KeyDistributionClient client) {
    }

    /** One device of a person, registered. */
    public record RegisteredDevice(Person person, DeviceKeys keys, Wire.Device device) {
    }

    public Person person(DemoUser user) {
        String token = Keycloak.accessToken(user);
        return new Person(new UserId(Keycloak.subject(token)), token, client(token));
    }

    public KeyDistributionClient client(String token) {
        return new KeyDistributionClient(HTTP, service, () -> token);
    }

    public RegisteredDevice device(Person person) {
        DeviceKeys keys = DeviceKeys.generate();
        return new RegisteredDevice(person, keys, person.client().register(keys));
    }

    public static RoomId newRoom() {
        return RoomId.random(RANDOM);
    }

    /** Signaling reports that {@code user} joined {@code room}'s call; returns their place. */
    public ParticipantId join(RoomId room, UserId user) {
        ParticipantId participant = ParticipantId.random(RANDOM);
        publish(new CallEvents.ParticipantJoined(room, new CallParticipant(participant, user, "Tester", true,
                CallRole.PARTICIPANT, false, Instant.now()), Instant.now()));
        return participant;
    }

    public void leave(RoomId room, ParticipantId participant, UserId user) {
        publish(new CallEvents.ParticipantLeft(room, participant, user, CallEvents.LeaveReason.TIMED_OUT, null, Instant.now()));
    }

    public void end(RoomId room, UserId by) {
        publish(new CallEvents.CallEnded(room, by, Instant.now()));
    }

    private void publish(CallEvent event) {
        try {
            kafka.send(new org.apache.kafka.clients.producer.ProducerRecord<>(Topic.CALLS.topicName(),
                    event.roomId().value(), event)).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    @Override
    public void close() {
        kafka.close();
    }
}
