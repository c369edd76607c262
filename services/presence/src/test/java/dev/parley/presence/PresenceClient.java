package dev.parley.presence;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.testing.DemoUser;
import dev.parley.testing.Keycloak;
import io.restassured.RestAssured;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
final class PresenceClient implements WebSocket.Listener, AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();

    /** How long a client must stay silent to show that nothing was delivered to it. */
    static final Duration QUIET = Duration.ofMillis(750);

    /** How long to wait for a message that must come. */
    static final Duration PATIENCE = Duration.ofSeconds(10);

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Map<DemoUser, String> TOKENS = new ConcurrentHashMap<>();
    private static final AtomicInteger IDS = new AtomicInteger();

    private final String name;
    private final BlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();
    private final WebSocket socket;
    private volatile JsonNode welcome;

    private PresenceClient(String name) {
        this.name = name;
        this.socket = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
                .buildAsync(endpoint(), this).join();
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
        client.send(hello(token, "h-" + name));
        JsonNode welcome = client.expect("welcome");
        assertThat(welcome.path("ref").asText()).isEqualTo("h-" + name);
        client.welcome = welcome;
        return client;
    }

    /** A connection welcomed as {@code user}. */
    static PresenceClient welcomed(DemoUser user) {
        return welcomed(token(user), user.username() + "-" + IDS.incrementAndGet());
    }

    /** The user id the server announced in {@code welcome}. */
    String userId() {
        return welcome.path("userId").asText();
    }

    /**
     * Subscribes to {@code userIds} and expects {@code subscribed} naming them, then one
     * {@code presence} for each (in any order); returns those by user id.
     */
    Map<String, JsonNode> subscribed(Collection<String> userIds) {
        String id = "s-" + IDS.incrementAndGet();
        send(subscribe(id, userIds));
        JsonNode answer = expect("subscribed");
        assertThat(answer.path("ref").asText()).as("%s received %s", name, answer).isEqualTo(id);
        Map<String, JsonNode> current = new ConcurrentHashMap<>();
        while (current.size() < userIds.stream().distinct().count()) {
            JsonNode presence = expect("presence");
            current.put(presence.path("userId").asText(), presence);
        }
        assertThat(current.keySet()).containsExactlyInAnyOrderElementsOf(userIds.stream().distinct().toList());
        return current;
    }

    void send(String text) {
        socket.sendText(text, true).join();
    }

    void send(JsonNode message) {
        send(message.toString());
    }

    /** Sends unless the connection is already closed; whether it was sent. */
    boolean trySend(String text) {
        try {
            socket.sendText(text, true).get(5, TimeUnit.SECONDS);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    /** The next message, or null when none comes within {@code timeout}. */
    JsonNode poll(Duration timeout) {
        try {
            return received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** The next message, which must come within {@link #PATIENCE}. */
    JsonNode next() {
        JsonNode message = poll(PATIENCE);
        if (message == null) {
            throw new AssertionError(name + ": no message within " + PATIENCE.toSeconds() + " s");
        }
        return message;
    }

    /** The next message, which must be of {@code type}. */
    JsonNode expect(String type) {
        JsonNode message = next();
        assertThat(message.path("type").asText()).as("%s received %s", name, message).isEqualTo(type);
        return message;
    }

    /** The next message, which must be {@code error} {@code code} with {@code ref} (null: no check). */
    JsonNode expectError(String code, String ref) {
        JsonNode message = expect("error");
        assertThat(message.path("code").asText()).as("%s received %s", name, message).isEqualTo(code);
        if (ref != null) {
            assertThat(message.path("ref").asText()).as("%s received %s", name, message).isEqualTo(ref);
        }
        return message;
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
                throw new AssertionError(name + ": the awaited message did not come within " + PATIENCE.toSeconds() + " s");
            }
            if (wanted.test(message)) {
                return message;
            }
            if (!allowedBefore.test(message)) {
                fail("%s received %s before the awaited message", name, message);
            }
        }
    }

    /** Fails if any message arrives within {@code window}. */
    void assertNothingWithin(Duration window) {
        JsonNode message = poll(window);
        if (message != null) {
            fail("%s should have received nothing, but received %s", name, message);
        }
    }

    /** The connection still works: a {@code ping} is answered by its {@code pong}, and nothing else came first. */
    void assertAlive() {
        String id = "alive-" + IDS.incrementAndGet();
        send(msg("ping", id));
        JsonNode pong = next();
        assertThat(pong.path("type").asText()).as("%s received %s", name, pong).isEqualTo("pong");
        assertThat(pong.path("ref").asText()).isEqualTo(id);
        assertThat(isOpen()).isTrue();
    }

    /** The close code the server sent, waiting at most {@code timeout}. */
    int closeCode(Duration timeout) {
        try {
            return closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError(name + ": not closed within " + timeout.toMillis() + " ms", e);
        } catch (Exception e) {
            throw new AssertionError(name + ": the connection failed instead of closing: " + e.getCause(), e);
        }
    }

    boolean isOpen() {
        return !closed.isDone();
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            try {
                received.add(JSON.readTree(partial.toString()));
            } catch (Exception e) {
                throw new IllegalStateException("the server sent something that is not JSON: " + partial, e);
            }
            partial.setLength(0);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closed.complete(statusCode);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closed.completeExceptionally(error);
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            try {
                socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(5, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // already closing or closed by the server
            }
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
