package dev.parley.presence.live;

import dev.parley.events.identity.UserId;
import dev.parley.events.room.RoomId;
import dev.parley.runtime.ratelimit.RateGate;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.UserData;
import io.quarkus.websockets.next.WebSocketConnection;
import org.jboss.logging.Logger;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One presence-protocol connection: who it is, whom it follows, and the last presence version
 * it was sent per user (so a late, older update never overwrites a newer one on the client).
 */
public final class Listener {

    static final UserData.TypedKey<Listener> KEY = new UserData.TypedKey<>("parley.presence");
    private static final Logger LOG = Logger.getLogger(Listener.class);

    private final WebSocketConnection socket;
    private final RateGate rate;
    private final Map<UserId, Long> following = new ConcurrentHashMap<>();
    private volatile UserId user;
    private volatile String displayName;
    private volatile RoomId guestRoom;

    Listener(WebSocketConnection socket, RateGate rate) {
        this.socket = socket;
        this.rate = rate;
    }

    public String id() {
        return socket.id();
    }

    public UserId user() {
        return user;
    }

    public String displayName() {
        return displayName;
    }

    boolean authenticated() {
        return user != null;
    }

    void authenticated(UserId who, String name, RoomId guestOf) {
        user = who;
        displayName = name;
        guestRoom = guestOf;
    }

    /** For a guest, the one room whose people they may see; empty for SSO users. */
    Optional<RoomId> guestRoom() {
        return Optional.ofNullable(guestRoom);
    }

    /** Counts one message against the connection's rate limit. */
    RateGate.Verdict admit(long nowNanos) {
        return rate.admit(nowNanos);
    }

    Set<UserId> following() {
        return following.keySet();
    }

    void follow(UserId who) {
        following.putIfAbsent(who, -1L);
    }

    void unfollow(UserId who) {
        following.remove(who);
    }

    /** Sends {@code text} about {@code who} at {@code version}, unless a newer one was sent. */
    void presence(UserId who, long version, String text) {
        boolean[] newer = {false};
        following.computeIfPresent(who, (ignored, sent) -> {
            newer[0] = version > sent;
            return Math.max(version, sent);
        });
        if (newer[0]) {
            send(text);
        }
    }

    /**
     * Sends {@code who}'s presence as {@code subscribe} promises it, even if this version was sent
     * before (a repeated subscribe), and remembers it so no older update follows.
     */
    void current(UserId who, long version, String text) {
        following.computeIfPresent(who, (ignored, sent) -> Math.max(version, sent));
        send(text);
    }

    public void send(String text) {
        socket.sendText(text).subscribe().with(done -> { },
                failure -> LOG.debugf("sending to %s failed: %s", id(), failure.getMessage()));
    }

    void sendAndClose(String text, int code) {
        socket.sendText(text).onFailure().recoverWithNull()
                .chain(() -> socket.close(new CloseReason(code, null)))
                .subscribe().with(done -> { }, failure -> { });
    }
}
