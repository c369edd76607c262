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

/**
 * A client of Parley's WebSocket protocols ({@code docs/protocol.md},
 * {@code docs/presence-protocol.md}) for tests: sends JSON messages, queues each one it receives,
 * and records how the connection ended.
 */
public final class CallClient implements WebSocket.Listener, AutoCloseable {

    public static final Duration PATIENCE = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final String name;
    private final BlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();
    private final WebSocket socket;

    private CallClient(String name, URI endpoint) {
        this.name = name;
        this.socket = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5)).buildAsync(endpoint, this).join();
    }

    /** Connects to {@code serviceUrl}'s {@code /ws/v1} and says {@code hello} with {@code token}. */
    public static CallClient welcomed(String serviceUrl, String token, String name) {
        return welcomed(serviceUrl, "/ws/v1", token, name);
    }

    /**
     * Connects to {@code path} of {@code serviceUrl} and says {@code hello} with {@code token}:
     * both of Parley's WebSocket protocols (calls, presence) start that way.
     */
    public static CallClient welcomed(String serviceUrl, String path, String token, String name) {
        CallClient client = new CallClient(name, URI.create(serviceUrl.replaceFirst("^http", "ws") + path));
        client.send(message("hello").put("v", 1).put("token", token));
        client.expect("welcome");
        return client;
    }

    public static ObjectNode message(String type) {
        return JSON.createObjectNode().put("type", type);
    }

    public void send(JsonNode message) {
        socket.sendText(message.toString(), true).join();
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

    /** The next message, which must be of {@code type} and come within {@link #PATIENCE}. */
    public JsonNode expect(String type) {
        JsonNode message = poll(PATIENCE);
        if (message == null) {
            throw new AssertionError(name + ": no message within " + PATIENCE.toSeconds() + " s; expected " + type);
        }
        if (!type.equals(message.path("type").asText())) {
            throw new AssertionError(name + ": expected " + type + " but received " + message);
        }
        return message;
    }

    /** The close code, waiting at most {@code timeout}; 1006 when the connection broke without one. */
    public int closeCode(Duration timeout) {
        try {
            return closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError(name + ": not closed within " + timeout.toMillis() + " ms", e);
        }
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
        closed.complete(1006);
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").exceptionally(failure -> null);
        }
        socket.abort();
    }
}
