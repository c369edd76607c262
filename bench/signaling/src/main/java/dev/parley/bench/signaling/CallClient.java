package dev.parley.bench.signaling;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntFunction;

/**
 * Every bench client in one JVM: one Vert.x WebSocket client on a couple of event loops, so tens
 * of thousands of connections cost a few kilobytes each, and {@link System#nanoTime()} is one
 * clock for senders and receivers.
 */
final class CallClient implements AutoCloseable {

    final JsonFactory json = new JsonFactory();
    /** Errors that answered nothing the bench waited for (e.g. {@code rate-limited}), by code. */
    final Map<String, LongAdder> unsolicitedErrors = new ConcurrentHashMap<>();

    private final Vertx vertx;
    private final WebSocketClient client;

    CallClient(int eventLoops) {
        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(eventLoops).setWorkerPoolSize(2)
                .setBlockedThreadCheckInterval(10).setBlockedThreadCheckIntervalUnit(TimeUnit.SECONDS));
        client = vertx.createWebSocketClient(new WebSocketClientOptions()
                .setMaxConnections(1_000_000)
                .setConnectTimeout(10_000)
                .setTryUsePerMessageCompression(false)
                .setMaxFrameSize(4 * 1024 * 1024)
                .setMaxMessageSize(16 * 1024 * 1024)
                .setTcpNoDelay(true));
    }

    /** Opens a socket to {@code host} (an address of 127.0.0.0/8) and the replica's port. */
    CompletableFuture<BenchSocket> connect(BenchSocket socket, String host, Duration timeout) {
        CompletableFuture<BenchSocket> done = new CompletableFuture<>();
        WebSocketConnectOptions options = new WebSocketConnectOptions()
                .setHost(host).setPort(socket.replica.port()).setURI("/ws/v1")
                .setTimeout(timeout.toMillis());
        client.connect(options).onComplete(result -> {
            if (result.succeeded()) {
                if (done.isDone()) {
                    result.result().close(); // too late: the caller gave up on it
                    return;
                }
                socket.attach(result.result());
                if (!done.complete(socket)) {
                    socket.close();
                }
            } else {
                done.completeExceptionally(result.cause());
            }
        });
        return done.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Connects and authenticates: completes with {@code welcome}, or fails with what came instead. */
    CompletableFuture<Frame> connectAndHello(BenchSocket socket, String host, String token, Duration timeout) {
        return connect(socket, host, timeout)
                .thenCompose(s -> s.request("h", "{\"type\":\"hello\",\"id\":\"h\",\"v\":1,\"token\":" + quote(token) + "}"))
                .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .thenApply(frame -> {
                    if (!frame.is("welcome")) {
                        throw new IllegalStateException("hello answered " + frame.outcome() + ": " + frame.message());
                    }
                    return frame;
                });
    }

    /** What {@link #openMany} achieved. */
    record Opened(List<BenchSocket> sockets, int failures, List<String> firstFailures, long nanos) {
    }

    /**
     * Opens and authenticates sockets {@code 0 … count-1} (made by {@code socketFor}), at most
     * {@code concurrency} handshakes at a time, spreading them over {@code addresses} destination
     * addresses 127.0.0.1 … (each has its own ephemeral-port range). Stops early after
     * {@code maxFailures} failures.
     */
    Opened openMany(int count, IntFunction<BenchSocket> socketFor, IntFunction<String> tokenFor, int addresses,
                    int concurrency, int maxFailures, Duration timeout, String progressLabel)
            throws InterruptedException {
        List<BenchSocket> opened = Collections.synchronizedList(new ArrayList<>(count));
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger failed = new AtomicInteger();
        Semaphore window = new Semaphore(concurrency);
        long start = System.nanoTime();
        int step = Math.max(1000, count / 10);
        for (int i = 0; i < count && failed.get() < maxFailures; i++) {
            window.acquire();
            BenchSocket socket = socketFor.apply(i);
            String host = "127.0.0." + (1 + i % Math.max(1, addresses));
            connectAndHello(socket, host, tokenFor.apply(i), timeout).whenComplete((welcome, failure) -> {
                if (failure == null) {
                    int n;
                    synchronized (opened) {
                        opened.add(socket);
                        n = opened.size();
                    }
                    if (progressLabel != null && n % step == 0) {
                        System.out.printf("[bench] %s: %,d open (%.1f s)%n", progressLabel, n,
                                (System.nanoTime() - start) / 1e9);
                    }
                } else {
                    failed.incrementAndGet();
                    socket.close();
                    if (failures.size() < 5) {
                        Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
                        failures.add(cause.getClass().getSimpleName() + ": " + cause.getMessage());
                    }
                }
                window.release();
            });
        }
        window.acquire(concurrency);
        window.release(concurrency);
        return new Opened(new ArrayList<>(opened), failed.get(), List.copyOf(failures), System.nanoTime() - start);
    }

    /** Closes every socket, a few thousand at a time. */
    static void closeAll(List<BenchSocket> sockets) throws InterruptedException {
        int i = 0;
        for (BenchSocket s : sockets) {
            s.close();
            if (++i % 2000 == 0) {
                Thread.sleep(100);
            }
        }
    }

    static String quote(String text) {
        return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(text)) + "\"";
    }

    @Override
    public void close() {
        client.close();
        vertx.close().toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS)
                .exceptionally(e -> null).join();
    }
}
