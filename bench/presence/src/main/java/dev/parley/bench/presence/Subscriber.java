package dev.parley.bench.presence;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.bench.common.Replica;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * One presence-protocol connection that follows one user: says {@code hello}, subscribes, and
 * stamps the arrival ({@code System.nanoTime()}) of each {@code presence} of that user that
 * carries the status the bench is waiting for.
 */
final class Subscriber implements WebSocket.Listener {

    private static final ObjectMapper JSON = new ObjectMapper();

    final int index;
    final Replica replica;
    private final String followed;
    private final StringBuilder partial = new StringBuilder();
    private final CompletableFuture<JsonNode> welcome = new CompletableFuture<>();
    private final CompletableFuture<JsonNode> subscribed = new CompletableFuture<>();
    private volatile WebSocket socket;
    private volatile String awaited;
    private volatile long arrivedAt;
    private volatile Runnable onArrival = () -> { };
    volatile String failure;

    Subscriber(int index, Replica replica, String followed) {
        this.index = index;
        this.replica = replica;
        this.followed = followed;
    }

    /** Connects, says hello with {@code token} and subscribes to the followed user. */
    void open(HttpClient http, String token) throws Exception {
        socket = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10))
                .buildAsync(URI.create(replica.url().replaceFirst("^http", "ws") + "/ws/v1/presence"), this)
                .get(15, TimeUnit.SECONDS);
        socket.sendText("{\"type\":\"hello\",\"id\":\"h\",\"v\":1,\"token\":\"" + token + "\"}", true).get(10, TimeUnit.SECONDS);
        welcome.get(15, TimeUnit.SECONDS);
        socket.sendText("{\"type\":\"subscribe\",\"id\":\"s\",\"userIds\":[\"" + followed + "\"]}", true).get(10, TimeUnit.SECONDS);
        subscribed.get(15, TimeUnit.SECONDS);
    }

    /** From now on, the first {@code presence} with {@code status} is stamped and reported to {@code then}. */
    void await(String status, Runnable then) {
        arrivedAt = 0;
        onArrival = then;
        awaited = status;
    }

    long arrivedAt() {
        return arrivedAt;
    }

    void close() {
        WebSocket s = socket;
        if (s != null) {
            s.sendClose(WebSocket.NORMAL_CLOSURE, "done");
        }
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        long now = System.nanoTime();
        partial.append(data);
        if (last) {
            String text = partial.toString();
            partial.setLength(0);
            try {
                JsonNode message = JSON.readTree(text);
                switch (message.path("type").asText()) {
                    case "welcome" -> welcome.complete(message);
                    case "subscribed" -> subscribed.complete(message);
                    case "presence" -> {
                        String status = awaited;
                        if (status != null && followed.equals(message.path("userId").asText())
                                && status.equals(message.path("status").asText())) {
                            awaited = null;
                            arrivedAt = now;
                            onArrival.run();
                        }
                    }
                    case "error" -> {
                        failure = text;
                        welcome.completeExceptionally(new IllegalStateException(text));
                        subscribed.completeExceptionally(new IllegalStateException(text));
                    }
                    default -> { }
                }
            } catch (Exception e) {
                failure = "unparsable: " + text;
            }
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        failure = "closed " + statusCode + " " + reason;
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        failure = "failed: " + error;
    }
}
