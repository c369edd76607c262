package dev.parley.presence.live;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.events.EventJson;
import dev.parley.events.identity.UserId;
import dev.parley.events.presence.UserPresence;
import dev.parley.events.ring.RingEvent;
import dev.parley.events.room.RoomId;
import dev.parley.presence.guest.GuestAccess;
import dev.parley.presence.ring.Rings;
import dev.parley.presence.state.PresenceUpdates;
import dev.parley.runtime.guest.GuestIdentity;
import dev.parley.runtime.guest.GuestTokens;
import dev.parley.runtime.identity.SsoName;
import dev.parley.runtime.ratelimit.RateGate;
import dev.parley.runtime.websocket.BrokenFrames;
import dev.parley.runtime.websocket.Envelope;
import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.oidc.TenantIdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnError;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.vertx.core.Vertx;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The presence protocol, version 1 ({@code docs/presence-protocol.md}): live presence of the
 * users a client follows, and ringing. Messages of one connection are handled one at a time on a
 * worker thread; every error is typed and, unless the client is abusive or unauthenticated,
 * leaves the connection open.
 */
@WebSocket(path = "/ws/v1/presence")
public class PresenceSocket {

    private static final Logger LOG = Logger.getLogger(PresenceSocket.class);
    static final int MAX_MESSAGE_BYTES = 16 * 1024;
    static final int MAX_PER_MESSAGE = 200;
    static final int MAX_FOLLOWED = 1000;
    private static final Duration HELLO_TIMEOUT = Duration.ofSeconds(10);
    private static final int MESSAGES_PER_SECOND = 20;
    private static final int BURST = 40;
    private static final int ABUSE_THRESHOLD = 100;

    private final TenantIdentityProvider keycloak;
    private final Listeners listeners;
    private final PresenceUpdates updates;
    private final Rings rings;
    private final Vertx vertx;
    private final GuestTokens guestTokens;
    private final GuestAccess guests;

    PresenceSocket(TenantIdentityProvider keycloak, Listeners listeners, PresenceUpdates updates, Rings rings, Vertx vertx,
                   GuestTokens guestTokens, GuestAccess guests) {
        this.guestTokens = guestTokens;
        this.guests = guests;
        this.keycloak = keycloak;
        this.listeners = listeners;
        this.updates = updates;
        this.rings = rings;
        this.vertx = vertx;
    }

    /** A refused message: the error code and what to tell the client. */
    static final class Refused extends RuntimeException {
        final String code;
        final int closeCode;
        final ObjectNode details = EventJson.mapper().createObjectNode();

        Refused(String code, String message) {
            this(code, message, 0);
        }

        Refused(String code, String message, int closeCode) {
            super(message, null, false, false);
            this.code = code;
            this.closeCode = closeCode;
        }
    }

    @OnOpen
    void open(WebSocketConnection socket) {
        Listener listener = new Listener(socket, new RateGate(MESSAGES_PER_SECOND, BURST, ABUSE_THRESHOLD, System.nanoTime()));
        socket.userData().put(Listener.KEY, listener);
        vertx.setTimer(HELLO_TIMEOUT.toMillis(), timer -> {
            if (socket.isOpen() && !listener.authenticated()) {
                fail(listener, new Refused("hello-timeout", "send hello within 10 s", 4002), null);
            }
        });
    }

    @OnClose
    void close(WebSocketConnection socket) {
        Listener listener = socket.userData().get(Listener.KEY);
        if (listener != null) {
            listeners.left(listener);
        }
    }

    /** An error the WebSocket layer raised outside a handler, e.g. a frame over 64 KiB. */
    @OnError
    void broken(Throwable error, WebSocketConnection socket) {
        LOG.debugf("closing %s after %s", socket.id(), error.toString());
        socket.close(BrokenFrames.closeReason(error)).subscribe().with(done -> { }, failure -> { });
    }

    @OnTextMessage
    void receive(String text, WebSocketConnection socket) {
        Listener listener = socket.userData().get(Listener.KEY);
        switch (listener.admit(System.nanoTime())) {
            case ABUSIVE -> {
                fail(listener, new Refused("abusive", "too many messages over the rate limit", 1008), null);
                return;
            }
            case RATE_LIMITED -> {
                fail(listener, new Refused("rate-limited", "at most " + MESSAGES_PER_SECOND + " messages per second"), null);
                return;
            }
            case ACCEPTED -> { }
        }
        Envelope envelope;
        try {
            envelope = Envelope.read(text, MAX_MESSAGE_BYTES, EventJson.mapper());
        } catch (Envelope.Refused e) {
            fail(listener, new Refused(e.fault().wireName(), e.getMessage()), null);
            return;
        }
        String type = envelope.type();
        String ref = envelope.ref();
        JsonNode message = envelope.body();
        try {
            if (type.equals("hello")) {
                hello(message, ref, listener);
            } else if (!listener.authenticated()) {
                throw new Refused("hello-required", "send hello first");
            } else {
                handle(type, message, ref, listener);
            }
        } catch (Refused e) {
            fail(listener, e, ref);
        } catch (RuntimeException e) {
            LOG.warnf(e, "handling %s from %s failed", type, listener.id());
            fail(listener, new Refused("unavailable", "presence cannot do this right now; nothing changed; retry"), ref);
        }
    }

    private void handle(String type, JsonNode message, String ref, Listener listener) {
        switch (type) {
            case "ping" -> listener.send(reply("pong", ref).toString());
            case "subscribe" -> subscribe(userIds(message), ref, listener);
            case "unsubscribe" -> unsubscribe(userIds(message), ref, listener);
            case "ring" -> ring(message, ref, listener);
            case "cancel-ring" -> rings.cancel(ringId(message), listener.user())
                    .orElseThrow(() -> new Refused("ring-not-found", "no ringing ring of yours with that id"));
            case "answer-ring" -> {
                if (!message.path("accept").isBoolean()) {
                    throw invalid("accept", "must be true or false");
                }
                rings.answer(ringId(message), listener.user(), message.get("accept").asBoolean())
                        .orElseThrow(() -> new Refused("ring-not-found", "no ring for you with that id is ringing"));
            }
            default -> throw new Refused("unknown-type", "unknown type '" + truncate(type, 40) + "'");
        }
    }

    private void hello(JsonNode message, String ref, Listener listener) {
        if (listener.authenticated()) {
            throw new Refused("already-authenticated", "hello was already sent");
        }
        if (message.path("v").asInt(-1) != 1) {
            throw new Refused("unsupported-version", "this server speaks v1", 4000);
        }
        if (!message.path("token").isTextual() || message.get("token").asText().isBlank()) {
            throw invalid("token", "must be a Keycloak access token");
        }
        String token = message.get("token").asText();
        if (GuestTokens.looksLikeGuestToken(token)) {
            GuestIdentity guest = guestTokens.verify(token)
                    .orElseThrow(() -> new Refused("unauthenticated", "the token is invalid or expired", 4001));
            listener.authenticated(guest.userId(), guest.displayName(), guest.roomId());
        } else {
            SecurityIdentity identity;
            try {
                identity = keycloak.authenticate(new AccessTokenCredential(token)).await().atMost(Duration.ofSeconds(10));
            } catch (RuntimeException e) {
                throw new Refused("unauthenticated", "the token is invalid or expired", 4001);
            }
            listener.authenticated(new UserId(identity.getPrincipal().getName()), SsoName.of(identity), null);
        }
        listeners.joined(listener);
        listener.send(reply("welcome", ref).put("v", 1).put("userId", listener.user().value())
                .put("displayName", listener.displayName()).toString());
    }

    private void subscribe(List<UserId> users, String ref, Listener listener) {
        for (UserId user : users) {
            if (!guests.maySee(listener.user(), listener.guestRoom(), user)) {
                throw new Refused("forbidden", "a guest follows only the people in their room's call; "
                        + user + " is not in it");
            }
        }
        Set<UserId> adding = new LinkedHashSet<>(users);
        adding.removeAll(listener.following());
        if (listener.following().size() + adding.size() > MAX_FOLLOWED) {
            throw new Refused("too-many-subscriptions", "a connection follows at most " + MAX_FOLLOWED + " users");
        }
        // Follow first, then read: a change in between is delivered, never lost.
        adding.forEach(user -> listeners.follow(listener, user));
        listener.send(listed("subscribed", ref, users).toString());
        for (UserId user : users) {
            UserPresence presence = updates.refresh(user);
            listener.current(user, presence.version(), LiveFeeds.presenceMessage(presence));
        }
    }

    private void unsubscribe(List<UserId> users, String ref, Listener listener) {
        users.forEach(user -> listeners.unfollow(listener, user));
        listener.send(listed("unsubscribed", ref, users).toString());
    }

    private void ring(JsonNode message, String ref, Listener listener) {
        if (listener.guestRoom().isPresent()) {
            throw new Refused("forbidden", "guests cannot ring");
        }
        String callee = text(message, "userId", UserId.MAX_LENGTH);
        String roomId = text(message, "roomId", 14);
        if (!RoomId.isWellFormed(roomId)) {
            throw invalid("roomId", "must look like abcd-efgh-ijkl");
        }
        String invite = message.hasNonNull("inviteCode") ? text(message, "inviteCode", 64) : null;
        UserId to = new UserId(callee);
        if (to.equals(listener.user())) {
            throw new Refused("cannot-ring-self", "you cannot ring yourself");
        }
        UserPresence presence = updates.refresh(to);
        if (presence.status().equals("busy") || presence.status().equals("in-call")) {
            Refused busy = new Refused("callee-busy", callee + " is " + presence.status());
            busy.details.put("status", presence.status());
            if (presence.roomId() != null) {
                busy.details.put("roomId", presence.roomId());
            }
            throw busy;
        }
        if (presence.status().equals("offline")) {
            throw new Refused("callee-offline", callee + " has no device present");
        }
        RingEvent ring = rings.start(listener.user(), listener.displayName(), to, roomId, invite);
        listener.send(reply("ringing", ref).put("ringId", ring.ringId()).put("userId", callee).put("roomId", roomId)
                .put("expiresAt", ring.expiresAt().toString()).toString());
    }

    private static List<UserId> userIds(JsonNode message) {
        JsonNode ids = message.get("userIds");
        if (ids == null || !ids.isArray() || ids.isEmpty() || ids.size() > MAX_PER_MESSAGE) {
            throw invalid("userIds", "must be an array of 1 to " + MAX_PER_MESSAGE + " user ids");
        }
        List<UserId> users = new ArrayList<>(ids.size());
        for (JsonNode id : ids) {
            if (!id.isTextual() || id.asText().isBlank() || id.asText().length() > UserId.MAX_LENGTH) {
                throw invalid("userIds", "must hold user ids of 1 to " + UserId.MAX_LENGTH + " characters");
            }
            users.add(new UserId(id.asText()));
        }
        return users;
    }

    private static String ringId(JsonNode message) {
        String ringId = text(message, "ringId", 64);
        if (!ringId.matches("r-[0-9a-f]{32}")) {
            throw new Refused("ring-not-found", "no ring has that id");
        }
        return ringId;
    }

    private static String text(JsonNode message, String field, int maxLength) {
        JsonNode value = message.get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw invalid(field, "must be a non-blank string");
        }
        if (value.asText().length() > maxLength) {
            throw invalid(field, "must have at most " + maxLength + " characters");
        }
        return value.asText();
    }

    private static Refused invalid(String field, String rule) {
        return new Refused("invalid", "'" + field + "' " + rule);
    }

    private static ObjectNode reply(String type, String ref) {
        ObjectNode reply = EventJson.mapper().createObjectNode().put("type", type);
        if (ref != null) {
            reply.put("ref", ref);
        }
        return reply;
    }

    private static ObjectNode listed(String type, String ref, List<UserId> users) {
        ObjectNode reply = reply(type, ref);
        ArrayNode ids = reply.putArray("userIds");
        users.forEach(user -> ids.add(user.value()));
        return reply;
    }

    private void fail(Listener listener, Refused refused, String ref) {
        ObjectNode error = reply("error", ref).put("code", refused.code).put("message", refused.getMessage());
        error.setAll(refused.details);
        if (refused.closeCode != 0) {
            listener.sendAndClose(error.toString(), refused.closeCode);
        } else {
            listener.send(error.toString());
        }
    }

    private static String truncate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max);
    }
}
