package dev.parley.signaling.call;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.redis.datasource.RedisDataSource;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A relay's control API that answers every offer, and the heartbeat hash it would write in Redis
 * ({@code parley:relay:<id>}), for placement and failover tests without a real relay.
 */
final class StandInRelay {

    static final String ANSWER = """
            {"sdp": "v=0\\r\\nanswer\\r\\n", "published": [], "subscriptions": []}""";
    /** How long the hash lives unless written again, as its {@code ttlMillis} says. */
    private static final long TTL_MILLIS = 60_000;

    record Reply(int status, String body) {
    }

    final String id = "it-" + UUID.randomUUID();
    final HttpServer server;
    final List<String> paths = new CopyOnWriteArrayList<>();
    /** The request bodies, in the order of {@link #paths}. */
    final List<String> bodies = new CopyOnWriteArrayList<>();
    volatile Reply reply = new Reply(200, ANSWER);
    private final RedisDataSource redis;
    private final String region;

    StandInRelay(RedisDataSource redis, String region) {
        this.redis = redis;
        this.region = region;
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/", this::handle);
        server.start();
    }

    String key() {
        return "parley:relay:" + id;
    }

    /** Writes the heartbeat, as of now. */
    void register(double stress, boolean draining) {
        redis.hash(String.class).hset(key(), Map.of("id", id,
                "controlUrl", "http://127.0.0.1:" + server.getAddress().getPort(),
                "region", region, "sessions", "0", "maxSessions", "1000", "packetsPerSecond", "0",
                "maxPacketsPerSecond", "100000", "cpu", "0", "stress", Double.toString(stress),
                "draining", Boolean.toString(draining)));
        // No ttlMillis (as from a relay that does not say): it stays live while the hash lasts, since it does not beat again.
        redis.hash(String.class).hset(key(), "updatedAt", Long.toString(System.currentTimeMillis()));
        redis.key().pexpire(key(), TTL_MILLIS); // gone by itself should the test die before cleaning up
        redis.set(String.class).sadd("parley:relays", id);
    }

    /**
     * As a relay that says how long its beats last ({@code ttlMillis}) whose last beat is
     * {@code millis} old: the hash is still there, with that much less to live.
     */
    void lastBeatAgo(long millis) {
        redis.hash(String.class).hset(key(), "ttlMillis", Long.toString(TTL_MILLIS));
        redis.key().pexpire(key(), TTL_MILLIS - millis);
    }

    long offersIn(String roomId) {
        return paths.stream().filter(path -> path.startsWith("/api/v1/rooms/" + roomId + "/")).count();
    }

    /** Stops answering and withdraws the heartbeat. */
    void remove() {
        server.stop(0);
        redis.key().del(key());
        redis.set(String.class).srem("parley:relays", id);
    }

    private void handle(HttpExchange exchange) throws IOException {
        bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        paths.add(exchange.getRequestURI().getPath());
        Reply answer = reply;
        byte[] out = answer.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(answer.status(), out.length);
        exchange.getResponseBody().write(out);
        exchange.close();
    }
}
