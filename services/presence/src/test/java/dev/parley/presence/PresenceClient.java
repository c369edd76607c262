package dev.parley.presence;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.testing.DemoUser;
import dev.parley.testing.JsonSocket;
import dev.parley.testing.Keycloak;
import io.restassured.RestAssured;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * A client of the presence protocol ({@code docs/presence-protocol.md}) on {@code /ws/v1/presence}
 * of the application under test: sends text, queues each JSON message it receives, and records
 * the close code, so a test can wait for a message that must come and for one that must not.
 * Tokens are fetched before connecting, so the hello deadline never runs during a token request.
 */
final class PresenceClient extends JsonSocket {

    static final ObjectMapper JSON = new ObjectMapper();

    /** How long a client must stay silent to show that nothing was delivered to it. */
    static final Duration QUIET = Duration.ofMillis(750);

    private static final Map<DemoUser, String> TOKENS = new ConcurrentHashMap<>();
    private static final AtomicInteger IDS = new AtomicInteger();

    private PresenceClient(String name) {
        super(PresenceClient.endpoint(), name);
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

    static ObjectNode subscribe(String id, Collection<String> userIds) {
        ObjectNode message = msg("subscribe", id);
        ArrayNode ids = message.putArray("userIds");
        userIds.forEach(ids::add);
        return message;
    }

    static ObjectNode unsubscribe(String id, Collection<String> userIds) {
        ObjectNode message = msg("unsubscribe", id);
        ArrayNode ids = message.putArray("userIds");
        userIds.forEach(ids::add);
        return message;
    }

    static ObjectNode ring(String id, String userId, String roomId) {
        return msg("ring", id).put("userId", userId).put("roomId", roomId);
    }

    static ObjectNode cancelRing(String id, String ringId) {
        return msg("cancel-ring", id).put("ringId", ringId);
    }

    static ObjectNode answerRing(String id, String ringId, boolean accept) {
        return msg("answer-ring", id).put("ringId", ringId).put("accept", accept);
    }

    static JsonNode parse(String text) {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("not JSON: " + text, e);
        }
    }

    static URI endpoint() {
        return URI.create(RestAssured.baseURI.replaceFirst("^http", "ws") + ":" + RestAssured.port + "/ws/v1/presence");
    }

    // --- connections ------------------------------------------------------------------------

    /** A fresh connection that has not said {@code hello}. */
    static PresenceClient connect(String name) {
        return new PresenceClient(name);
    }

    /** A connection welcomed with {@code token}. */
    static PresenceClient welcomed(String token, String name) {
        PresenceClient client = connect(name);
        client.hello(token);
        return client;
    }

    /** A connection welcomed as {@code user}. */
    static PresenceClient welcomed(DemoUser user) {
        return welcomed(token(user), user.username() + "-" + IDS.incrementAndGet());
    }

    /**
     * Subscribes to {@code userIds} and expects {@code subscribed} naming them, then one
     * {@code presence} for each (in any order); returns those by user id.
     */
    Map<String, JsonNode> subscribed(Collection<String> userIds) {
        String id = "s-" + IDS.incrementAndGet();
        send(subscribe(id, userIds));
        JsonNode answer = expect("subscribed");
        assertThat(answer.path("ref").asText()).as("%s received %s", this, answer).isEqualTo(id);
        Map<String, JsonNode> current = new ConcurrentHashMap<>();
        while (current.size() < userIds.stream().distinct().count()) {
            JsonNode presence = expect("presence");
            current.put(presence.path("userId").asText(), presence);
        }
        assertThat(current.keySet()).containsExactlyInAnyOrderElementsOf(userIds.stream().distinct().toList());
        return current;
    }

    /**
     * Waits (within {@link #PATIENCE}) for the first message that {@code wanted} accepts; every
     * message before it must satisfy {@code allowedBefore}, or the test fails.
     */
    JsonNode until(Predicate<JsonNode> wanted, Predicate<JsonNode> allowedBefore) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (true) {
            JsonNode message = poll(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            if (message == null) {
                throw new AssertionError(this + ": the awaited message did not come within " + PATIENCE.toSeconds() + " s");
            }
            if (wanted.test(message)) {
                return message;
            }
            if (!allowedBefore.test(message)) {
                fail("%s received %s before the awaited message", this, message);
            }
        }
    }
}
