package dev.parley.signaling.call;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.events.connection.ConnectionEvent;
import dev.parley.runtime.problem.ProblemException;
import dev.parley.runtime.ratelimit.RateGate;
import dev.parley.runtime.websocket.BrokenFrames;
import dev.parley.runtime.websocket.Envelope;
import dev.parley.signaling.SignalingConfig;
import dev.parley.signaling.conference.CallActions;
import dev.parley.signaling.conference.CallMedia;
import dev.parley.signaling.conference.Conference;
import dev.parley.signaling.conference.HostControls;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnError;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.vertx.core.Vertx;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The call protocol, version 1 ({@code docs/protocol.md}): one WebSocket per participant.
 *
 * <p>This layer owns what every message goes through: the size limit, the per-connection rate
 * limit, JSON framing, authentication by the first message ({@code hello}), and turning each
 * message into a call to the conference. Malformed input gets a typed {@code error} and the
 * connection stays open; only an abusive, unauthenticated or silent client is disconnected.
 * Messages of one connection are handled one at a time, on a worker thread (they wait for Redis
 * and the broker).
 */
@WebSocket(path = "/ws/v1")
public class CallSocket {

    private static final Logger LOG = Logger.getLogger(CallSocket.class);
    static final int PROTOCOL_VERSION = 1;
    private static final Duration AUTHENTICATION_DEADLINE = Duration.ofSeconds(10);

    private final SignalingConfig.Calls limits;
    private final HelloAuthenticator authenticator;
    private final Conference conference;
    private final CallActions actions;
    private final HostControls hosts;
    private final CallMedia media;
    private final ConnectionAnnouncer announcer;
    private final ObjectMapper json;
    private final Vertx vertx;
    private final MeterRegistry metrics;
    private final AtomicInteger open = new AtomicInteger();

    CallSocket(SignalingConfig config, HelloAuthenticator authenticator, Conference conference, CallActions actions,
               HostControls hosts, CallMedia media, ConnectionAnnouncer announcer, ObjectMapper json, Vertx vertx,
               MeterRegistry metrics) {
        this.limits = config.calls();
        this.authenticator = authenticator;
        this.conference = conference;
        this.actions = actions;
        this.hosts = hosts;
        this.media = media;
        this.announcer = announcer;
        this.json = json;
        this.vertx = vertx;
        this.metrics = metrics;
        metrics.gauge("parley.call.connections", open);
    }

    @OnOpen
    void open(WebSocketConnection socket) {
        open.incrementAndGet();
        CallConnection connection = new CallConnection(socket,
                new RateGate(limits.messagesPerSecond(), limits.burst(), limits.abuseThreshold(), System.nanoTime()));
        socket.userData().put(CallConnection.KEY, connection);
        vertx.setTimer(limits.helloTimeout().toMillis(), timer -> {
            if (socket.isOpen() && !connection.authenticated()) {
                fail(connection, ErrorCode.HELLO_TIMEOUT, "send hello within " + limits.helloTimeout().toSeconds() + " s", null);
            }
        });
    }

    @OnClose
    void close(WebSocketConnection socket) {
        open.decrementAndGet();
        CallConnection connection = socket.userData().get(CallConnection.KEY);
        if (connection == null || !connection.authenticated()) {
            return;
        }
        try {
            conference.disconnected(connection);
        } catch (RuntimeException e) {
            LOG.warnf("could not keep the place of %s after its connection closed: %s", connection.id(), e.toString());
        }
        announcer.announce(connection, ConnectionEvent.Change.CLOSED);
    }

    /** An error the WebSocket layer raised outside a handler, e.g. a frame over 1 MiB. */
    @OnError
    void broken(Throwable error, WebSocketConnection socket) {
        LOG.debugf("closing %s after %s", socket.id(), error.toString());
        socket.close(BrokenFrames.closeReason(error)).subscribe().with(done -> { }, failure -> { });
    }

    @OnTextMessage
    void receive(String text, WebSocketConnection socket) {
        CallConnection connection = socket.userData().get(CallConnection.KEY);
        switch (connection.admit(System.nanoTime())) {
            case ABUSIVE -> {
                fail(connection, ErrorCode.ABUSIVE, "too many messages over the rate limit", null);
                return;
            }
            case RATE_LIMITED -> {
                fail(connection, ErrorCode.RATE_LIMITED, "at most " + limits.messagesPerSecond() + " messages per second", null);
                return;
            }
            case ACCEPTED -> { }
        }
        Envelope message;
        try {
            message = Envelope.read(text, limits.maxMessageBytes(), json);
        } catch (Envelope.Refused e) {
            fail(connection, e.fault() == Envelope.Fault.TOO_LARGE ? ErrorCode.TOO_LARGE : ErrorCode.MALFORMED,
                    e.getMessage(), null);
            return;
        }
        String type = message.type();
        String ref = message.ref();
        try {
            if (type.equals("hello")) {
                hello(message.body(), ref, connection);
            } else if (!connection.authenticated()) {
                throw new CallError(ErrorCode.HELLO_REQUIRED, "send hello first");
            } else {
                handle(type, new Fields(message.body()), ref, connection);
            }
        } catch (CallError e) {
            fail(connection, e.code(), e.getMessage(), ref);
        } catch (ProblemException e) {
            fail(connection, ErrorCode.UNAVAILABLE, e.problem().detail(), ref);
        } catch (RuntimeException e) {
            LOG.warnf(e, "handling %s from %s failed", type, connection.id());
            fail(connection, ErrorCode.UNAVAILABLE, "the service cannot do this right now; nothing changed; retry", ref);
        }
    }

    private void handle(String type, Fields fields, String ref, CallConnection connection) {
        switch (type) {
            case "ping" -> connection.send(reply("pong", ref).toString());
            case "join" -> conference.join(connection, fields.roomId(), ref);
            case "resume" -> conference.resume(connection, fields.text("resumeToken", 200), fields.optionalSeq("lastSeq"), ref);
            case "leave" -> conference.leave(connection, ref);
            case "send" -> actions.send(connection, fields.payloadKind(), fields.payloadData(), fields.addressees(), ref);
            case "raise-hand" -> actions.hand(connection, true);
            case "lower-hand" -> actions.hand(connection, false);
            case "media-offer" -> media.offer(connection, fields.sdp(), fields.sources(), fields.region(), ref);
            case "media-layout" -> media.layout(connection, fields.layout());
            case "ice-candidate" -> {
                fields.iceCandidate();
                media.candidate(connection);
            }
            case "mute" -> hosts.mute(connection, fields.participantId(), fields.media());
            case "remove" -> hosts.remove(connection, fields.participantId());
            case "lock" -> hosts.lock(connection, true);
            case "unlock" -> hosts.lock(connection, false);
            case "admit" -> hosts.decide(connection, fields.userId(), true);
            case "deny" -> hosts.decide(connection, fields.userId(), false);
            case "end-call" -> hosts.end(connection);
            case "promote" -> hosts.promote(connection, fields.participantId());
            default -> throw new CallError(ErrorCode.UNKNOWN_TYPE, "unknown type '" + truncate(type, 40) + "'");
        }
    }

    private void hello(JsonNode message, String ref, CallConnection connection) {
        if (connection.authenticated()) {
            throw new CallError(ErrorCode.ALREADY_AUTHENTICATED, "hello was already sent");
        }
        if (message.path("v").asInt(-1) != PROTOCOL_VERSION) {
            throw new CallError(ErrorCode.UNSUPPORTED_VERSION, "this server speaks v" + PROTOCOL_VERSION);
        }
        if (!message.path("token").isTextual() || message.get("token").asText().isBlank()) {
            throw new CallError(ErrorCode.INVALID, "hello needs a token");
        }
        if (!connection.startHello()) {
            throw new CallError(ErrorCode.ALREADY_AUTHENTICATED, "hello was already sent");
        }
        Caller caller;
        try {
            caller = authenticator.authenticate(message.get("token").asText()).await().atMost(AUTHENTICATION_DEADLINE);
        } catch (RuntimeException e) {
            throw new CallError(ErrorCode.UNAUTHENTICATED, "the token is invalid or expired");
        }
        connection.authenticated(caller);
        ObjectNode welcome = reply("welcome", ref);
        welcome.put("v", PROTOCOL_VERSION);
        welcome.put("connectionId", connection.id());
        welcome.put("userId", caller.userId().value());
        welcome.put("displayName", caller.displayName());
        welcome.put("verified", caller.verified());
        if (caller.guestRoom() != null) {
            welcome.put("guestRoomId", caller.guestRoom().value());
        }
        ObjectNode announced = welcome.putObject("limits");
        announced.put("maxMessageBytes", limits.maxMessageBytes());
        announced.put("messagesPerSecond", limits.messagesPerSecond());
        announced.put("burst", limits.burst());
        announced.put("resumeGraceSeconds", limits.resumeGrace().toSeconds());
        connection.send(welcome.toString());
        announcer.announce(connection, ConnectionEvent.Change.OPENED);
    }

    private ObjectNode reply(String type, String ref) {
        ObjectNode reply = json.createObjectNode().put("type", type);
        if (ref != null) {
            reply.put("ref", ref);
        }
        return reply;
    }

    private void fail(CallConnection connection, ErrorCode code, String detail, String ref) {
        metrics.counter("parley.call.errors", "code", code.wireName()).increment();
        String error = reply("error", ref).put("code", code.wireName()).put("message", detail).toString();
        if (code.closes()) {
            LOG.debugf("closing connection %s: %s", connection.id(), code.wireName());
            connection.sendAndClose(error, code.closeCode());
        } else {
            connection.send(error);
        }
    }

    private static String truncate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max);
    }
}
