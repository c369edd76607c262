package dev.parley.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test client of Parley's WebSocket protocols ({@code docs/protocol.md},
 * {@code docs/presence-protocol.md}): sends JSON text, queues each JSON message it receives, and
 * records how the connection ended. It can wait for a message that must come, and for one that
 * must not.
 */
public class JsonSocket implements WebSocket.Listener, AutoCloseable {

    /** How long to wait for a message that must come. */
    public static final Duration PATIENCE = Duration.ofSeconds(10);
    /** WebSocket status for a connection that ended without a close frame (RFC 6455, Section 7.1.5). */
    public static final int ABNORMAL_CLOSURE = 1006;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final AtomicInteger IDS = new AtomicInteger();

    private final String name;
    private final BlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();
    private final WebSocket socket;
    private volatile JsonNode welcome;

    /** Opens a connection to {@code endpoint} (a {@code ws://} URI); {@code name} labels failures. */
    public JsonSocket(URI endpoint, String name) {
        this.name = name;
        this.socket = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5)).buildAsync(endpoint, this).join();
    }

    /** {@code path} of an HTTP {@code serviceUrl}, as a WebSocket URI. */
    public static URI endpoint(String serviceUrl, String path) {
        return URI.create(serviceUrl.replaceAll("/$", "").replaceFirst("^http", "ws") + path);
    }

    /**
     * Connects to {@code path} of {@code serviceUrl} and says {@code hello} with {@code token}:
     * both protocols start that way. Fails unless {@code welcome} comes.
     */
    public static JsonSocket welcomed(String serviceUrl, String path, String token, String name) {
        JsonSocket client = new JsonSocket(endpoint(serviceUrl, path), name);
        client.hello(token);
        return client;
    }

    /** Says {@code hello} with {@code token} and waits for {@code welcome}. */
    public JsonNode hello(String token) {
        String id = "h-" + name;
        send(message("hello").put("id", id).put("v", 1).put("token", token));
        JsonNode answer = expect("welcome");
        if (!id.equals(answer.path("ref").asText())) {
            throw new AssertionError(name + ": welcome without the hello's ref: " + answer);
        }
        welcome = answer;
        return answer;
    }

    public static ObjectNode message(String type) {
        return JSON.createObjectNode().put("type", type);
    }

    /** The {@code welcome} this connection got, or null before. */
    public JsonNode welcome() {
        return welcome;
    }

    /** The user id the server announced in {@code welcome}. */
    public String userId() {
        return welcome.path("userId").asText();
    }

    public void send(String text) {
        socket.sendText(text, true).join();
    }

    public void send(JsonNode message) {
        send(message.toString());
    }

    /** Sends unless the connection is already closed; whether it was sent. */
    public boolean trySend(String text) {
        try {
            socket.sendText(text, true).get(5, TimeUnit.SECONDS);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    /** The next message, or null when none comes within {@code timeout}. */
    public JsonNode poll(Duration timeout) {
        try {
            return received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** The next message, which must come within {@link #PATIENCE}. */
    public JsonNode next() {
        JsonNode message = poll(PATIENCE);
        if (message == null) {
            throw new AssertionError(name + ": no message within " + PATIENCE.toSeconds() + " s");
        }
        return message;
    }

    /** The next message, which must be of {@code type}. */
    public JsonNode expect(String type) {
        JsonNode message = next();
        if (!type.equals(message.path("type").asText())) {
            throw new AssertionError(name + ": expected " + type + " but received " + message);
        }
        return message;
    }

    /** The next message, which must be {@code error} {@code code} with {@code ref} (null: not checked). */
    public JsonNode expectError(String code, String ref) {
        JsonNode message = expect("error");
        if (!code.equals(message.path("code").asText()) || ref != null && !ref.equals(message.path("ref").asText())) {
            throw new AssertionError(name + ": expected error " + code + " (ref " + ref + ") but received " + message);
        }
        return message;
    }

    /** Skips messages until one of {@code type}, within {@link #PATIENCE} in all. */
    public JsonNode until(String type) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (true) {
            JsonNode message = poll(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            if (message == null) {
                throw new AssertionError(name + ": no " + type + " within " + PATIENCE.toSeconds() + " s");
            }
            if (message.path("type").asText().equals(type)) {
                return message;
            }
        }
    }

    /** Fails if any message arrives within {@code window}. */
    public void assertNothingWithin(Duration window) {
        JsonNode message = poll(window);
        if (message != null) {
            throw new AssertionError(name + " should have received nothing, but received " + message);
        }
    }

    /** Checks that the connection still works: a {@code ping} is answered first by its {@code pong}. */
    public void assertAlive() {
        String id = "alive-" + IDS.incrementAndGet();
        send(message("ping").put("id", id));
        JsonNode pong = expect("pong");
        if (!id.equals(pong.path("ref").asText()) || !isOpen()) {
            throw new AssertionError(name + ": not alive: " + pong);
        }
    }

    /**
     * The close code the server sent, waiting at most {@code timeout}; {@value #ABNORMAL_CLOSURE}
     * when the connection broke without a close frame.
     */
    public int closeCode(Duration timeout) {
        try {
            return closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError(name + ": not closed within " + timeout.toMillis() + " ms", e);
        }
    }

    public boolean isOpen() {
        return !closed.isDone();
    }

    /** Closes without a goodbye message (a dropped connection) and waits until the server has seen it. */
    public void drop() {
        close();
        closeCode(Duration.ofSeconds(5));
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            try {
                received.add(JSON.readTree(partial.toString()));
            } catch (Exception e) {
                throw new IllegalStateException(name + ": the server sent something that is not JSON: " + partial, e);
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
        closed.complete(ABNORMAL_CLOSURE);
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            try {
                socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(5, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // already closing, or closed by the server
            }
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
