package dev.parley.bench.signaling;

import com.fasterxml.jackson.core.JsonFactory;
import dev.parley.bench.common.Replica;
import io.vertx.core.http.WebSocket;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * One client connection to {@code /ws/v1}. Answers are matched to requests by {@code ref};
 * {@code payload} messages go to the payload handler; everything else (room events such as
 * {@code participant-joined}) is counted and dropped.
 */
final class BenchSocket {

    final int index;
    final Replica replica;
    volatile String participantId;
    /** When this socket's timed request left, for latency. */
    volatile long sentNanos;

    private final JsonFactory json;
    private final Map<String, LongAdder> unsolicitedErrors;
    private final Map<String, CompletableFuture<Frame>> pending = new ConcurrentHashMap<>();
    private volatile WebSocket socket;
    private volatile Consumer<Frame> payloads = frame -> { };
    private volatile boolean closed;

    BenchSocket(int index, Replica replica, JsonFactory json, Map<String, LongAdder> unsolicitedErrors) {
        this.index = index;
        this.replica = replica;
        this.json = json;
        this.unsolicitedErrors = unsolicitedErrors;
    }

    void attach(WebSocket webSocket) {
        this.socket = webSocket;
        webSocket.textMessageHandler(this::receive);
        webSocket.exceptionHandler(failure -> count("client: " + failure.getClass().getSimpleName()));
        webSocket.closeHandler(ignored -> {
            closed = true;
            String why = "closed by the server: " + webSocket.closeStatusCode() + " " + webSocket.closeReason();
            pending.values().forEach(f -> f.completeExceptionally(new IllegalStateException(why)));
            pending.clear();
        });
    }

    void onPayload(Consumer<Frame> handler) {
        this.payloads = handler;
    }

    boolean isOpen() {
        return socket != null && !closed;
    }

    /** Sends {@code text} (whose {@code id} is {@code id}) and completes with the answer that names it. */
    CompletableFuture<Frame> request(String id, String text) {
        CompletableFuture<Frame> answer = new CompletableFuture<>();
        if (!isOpen()) {
            answer.completeExceptionally(new IllegalStateException("socket " + index + " is closed"));
            return answer;
        }
        pending.put(id, answer);
        socket.writeTextMessage(text).onFailure(failure -> {
            pending.remove(id);
            answer.completeExceptionally(failure);
        });
        return answer;
    }

    void send(String text) {
        socket.writeTextMessage(text);
    }

    void close() {
        WebSocket s = socket;
        if (s != null && !closed) {
            s.close();
        }
    }

    private void receive(String text) {
        Frame frame;
        try {
            frame = Frame.parse(json, text);
        } catch (IOException e) {
            count("client: unparsable message");
            return;
        }
        if (frame.is("payload")) {
            payloads.accept(frame);
            return;
        }
        if (frame.ref() != null) {
            CompletableFuture<Frame> waiting = pending.remove(frame.ref());
            if (waiting != null) {
                waiting.complete(frame);
                return;
            }
        }
        if (frame.is("error")) {
            count(frame.code());
        }
    }

    private void count(String what) {
        unsolicitedErrors.computeIfAbsent(what, k -> new LongAdder()).increment();
    }
}
