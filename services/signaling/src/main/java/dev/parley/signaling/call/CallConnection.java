package dev.parley.signaling.call;

import io.quarkus.websockets.next.UserData;

/**
 * What the server knows about one call-protocol connection. Kept in the connection's user data;
 * touched only by that connection's messages, which arrive one at a time.
 */
final class CallConnection {

    static final UserData.TypedKey<CallConnection> KEY = new UserData.TypedKey<>("parley.call");

    private final TokenBucket rate;
    private volatile Participant participant;
    private boolean helloPending;
    private int rateLimited;

    CallConnection(TokenBucket rate) {
        this.rate = rate;
    }

    boolean authenticated() {
        return participant != null;
    }

    /** Marks a {@code hello} as being checked, so a second one sent meanwhile is refused. */
    boolean startHello() {
        if (helloPending || participant != null) {
            return false;
        }
        helloPending = true;
        return true;
    }

    void authenticated(Participant who) {
        participant = who;
        helloPending = false;
    }

    /** Takes one message from the rate budget; false when over it. */
    boolean withinRate(long nowNanos) {
        if (rate.tryTake(nowNanos)) {
            return true;
        }
        rateLimited++;
        return false;
    }

    int rateLimitedCount() {
        return rateLimited;
    }
}
