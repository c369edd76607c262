package dev.parley.signaling.call;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.signaling.SignalingConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The call protocol, version 1 ({@code docs/protocol.md}): one WebSocket per participant.
 *
 * <p>This layer owns what every message goes through: the size limit, the per-connection rate
 * limit, JSON framing, and authentication by the first message ({@code hello}). Malformed input
 * gets a typed {@code error} and the connection stays open; only an abusive, unauthenticated or
 * silent client is disconnected.
 */
@WebSocket(path = "/ws/v1")
public class CallSocket {

    private static final Logger LOG = Logger.getLogger(CallSocket.class);
    static final int PROTOCOL_VERSION = 1;

    private final SignalingConfig.Calls limits;
    private final HelloAuthenticator authenticator;
    private final ObjectMapper json;
    private final Vertx vertx;
    private final MeterRegistry metrics;
    private final AtomicInteger open = new AtomicInteger();

    CallSocket(SignalingConfig config, HelloAuthenticator authenticator, ObjectMapper json, Vertx vertx,
               MeterRegistry metrics) {
        this.limits = config.calls();
        this.authenticator = authenticator;
        this.json = json;
        this.vertx = vertx;
        this.metrics = metrics;
        metrics.gauge("parley.call.connections", open);
    }

    @OnClose
    void close(WebSocketConnection connection) {
        open.decrementAndGet();
    }

    @OnOpen
    void open(WebSocketConnection connection) {
        open.incrementAndGet();
        connection.userData().put(CallConnection.KEY, new CallConnection(
                new TokenBucket(limits.messagesPerSecond(), limits.burst(), System.nanoTime())));
        vertx.setTimer(limits.helloTimeout().toMillis(), timer -> {
            CallConnection state = connection.userData().get(CallConnection.KEY);
            if (connection.isOpen() && state != null && !state.authenticated()) {
                fail(connection, ErrorCode.HELLO_TIMEOUT, "send hello within " + limits.helloTimeout().toSeconds() + " s", null)
                        .subscribe().with(ignored -> { }, failure -> { });
            }
        });
    }

    @OnTextMessage
    Uni<Void> receive(String text, WebSocketConnection connection) {
        CallConnection state = connection.userData().get(CallConnection.KEY);
        if (!state.withinRate(System.nanoTime())) {
            if (state.rateLimitedCount() >= limits.abuseThreshold()) {
                return fail(connection, ErrorCode.ABUSIVE, "too many messages over the rate limit", null);
            }
            return fail(connection, ErrorCode.RATE_LIMITED,
                    "at most " + limits.messagesPerSecond() + " messages per second", null);
        }
        if (exceedsLimit(text)) {
            return fail(connection, ErrorCode.TOO_LARGE, "at most " + limits.maxMessageBytes() + " bytes", null);
        }
        JsonNode message;
        try {
            message = json.readTree(text);
        } catch (Exception e) {
            return fail(connection, ErrorCode.MALFORMED, "not JSON", null);
        }
        if (message == null || !message.isObject() || !message.path("type").isTextual()) {
            return fail(connection, ErrorCode.MALFORMED, "a message is a JSON object with a string type", null);
        }
        String type = message.get("type").asText();
        String ref = message.path("id").isTextual() ? message.get("id").asText() : null;
        return switch (type) {
            case "hello" -> hello(message, ref, state, connection);
            case "ping" -> state.authenticated()
                    ? send(connection, reply("pong", ref))
                    : fail(connection, ErrorCode.HELLO_REQUIRED, "send hello first", ref);
            default -> state.authenticated()
                    ? fail(connection, ErrorCode.UNKNOWN_TYPE, "unknown type '" + abbreviate(type) + "'", ref)
                    : fail(connection, ErrorCode.HELLO_REQUIRED, "send hello first", ref);
        };
    }

    private Uni<Void> hello(JsonNode message, String ref, CallConnection state, WebSocketConnection connection) {
        if (message.path("v").asInt(-1) != PROTOCOL_VERSION) {
            return fail(connection, ErrorCode.UNSUPPORTED_VERSION, "this server speaks v" + PROTOCOL_VERSION, ref);
        }
        if (!message.path("token").isTextual() || message.get("token").asText().isBlank()) {
            return fail(connection, ErrorCode.INVALID, "hello needs a token", ref);
        }
        if (!state.startHello()) {
            return fail(connection, ErrorCode.ALREADY_AUTHENTICATED, "hello was already sent", ref);
        }
        return authenticator.authenticate(message.get("token").asText())
                .onItemOrFailure().transformToUni((participant, failure) -> {
                    if (failure != null || participant == null) {
                        return fail(connection, ErrorCode.UNAUTHENTICATED, "the token is invalid or expired", ref);
                    }
                    state.authenticated(participant);
                    ObjectNode welcome = reply("welcome", ref);
                    welcome.put("v", PROTOCOL_VERSION);
                    welcome.put("connectionId", connection.id());
                    welcome.put("userId", participant.userId().value());
                    welcome.put("displayName", participant.displayName());
                    welcome.put("verified", participant.verified());
                    if (participant.guestRoom() != null) {
                        welcome.put("guestRoomId", participant.guestRoom().value());
                    }
                    ObjectNode announced = welcome.putObject("limits");
                    announced.put("maxMessageBytes", limits.maxMessageBytes());
                    announced.put("messagesPerSecond", limits.messagesPerSecond());
                    announced.put("burst", limits.burst());
                    return send(connection, welcome);
                });
    }

    private ObjectNode reply(String type, String ref) {
        ObjectNode reply = json.createObjectNode().put("type", type);
        if (ref != null) {
            reply.put("ref", ref);
        }
        return reply;
    }

    private Uni<Void> fail(WebSocketConnection connection, ErrorCode code, String detail, String ref) {
        metrics.counter("parley.call.errors", "code", code.wireName()).increment();
        ObjectNode error = reply("error", ref).put("code", code.wireName()).put("message", detail);
        Uni<Void> sent = send(connection, error);
        if (!code.closes()) {
            return sent;
        }
        LOG.debugf("closing connection %s: %s", connection.id(), code.wireName());
        return sent.onFailure().recoverWithNull()
                .chain(() -> connection.close(new CloseReason(code.closeCode(), code.wireName())));
    }

    private static Uni<Void> send(WebSocketConnection connection, ObjectNode message) {
        return connection.sendText(message.toString());
    }

    /**
     * Whether {@code text} is longer than the limit in UTF-8. A char takes at most 3 bytes, so
     * most messages are decided without encoding them (this runs on every message).
     */
    private boolean exceedsLimit(String text) {
        int max = limits.maxMessageBytes();
        if ((long) text.length() * 3 <= max) {
            return false;
        }
        return text.length() > max || text.getBytes(StandardCharsets.UTF_8).length > max;
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "…";
    }
}
