package dev.parley.signaling.call;

import dev.parley.events.call.CallRole;
import dev.parley.events.call.ParticipantId;
import dev.parley.events.room.RoomId;
import dev.parley.runtime.ratelimit.RateGate;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.UserData;
import io.quarkus.websockets.next.WebSocketConnection;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;

/**
 * One call-protocol connection: who it belongs to, where it is (in a call, in a lobby, or
 * neither), and the order in which room events reach it.
 *
 * <p>Its own messages arrive one at a time; room events arrive from the stream follower's thread.
 * A connection entering a call is registered before its join is appended to the room stream, and
 * holds back the events it receives until it knows its join's position ({@link #ready}): from
 * then on it gets exactly the events after that position, each once, in stream order.
 */
public final class CallConnection {

    static final UserData.TypedKey<CallConnection> KEY = new UserData.TypedKey<>("parley.call");
    private static final Logger LOG = Logger.getLogger(CallConnection.class);

    /** What the connection is doing in a room. */
    public enum Place { NONE, LOBBY, CALL }

    private record Held(long seq, String text, int closeCode) {
    }

    private final WebSocketConnection socket;
    private final RateGate rate;
    private volatile Caller caller;
    private boolean helloPending;

    private volatile Place place = Place.NONE;
    private volatile RoomId room;
    private volatile ParticipantId participantId;
    private volatile CallRole role;
    /** Stream position from which events are delivered; -1 while the position is not known yet. */
    private long fromSeq = -1;
    private final List<Held> held = new ArrayList<>();
    private volatile boolean finished;

    CallConnection(WebSocketConnection socket, RateGate rate) {
        this.socket = socket;
        this.rate = rate;
    }

    public String id() {
        return socket.id();
    }

    public Caller caller() {
        return caller;
    }

    boolean authenticated() {
        return caller != null;
    }

    /** Marks a {@code hello} as being checked, so a second one sent meanwhile is refused. */
    boolean startHello() {
        if (helloPending || caller != null) {
            return false;
        }
        helloPending = true;
        return true;
    }

    void authenticated(Caller who) {
        caller = who;
        helloPending = false;
    }

    /** Counts one message against the connection's rate limit. */
    RateGate.Verdict admit(long nowNanos) {
        return rate.admit(nowNanos);
    }

    public Place place() {
        return place;
    }

    public RoomId room() {
        return room;
    }

    public ParticipantId participantId() {
        return participantId;
    }

    public CallRole role() {
        return role;
    }

    public void role(CallRole changed) {
        role = changed;
    }

    /** Enters a call as {@code participant}; events are held until {@link #ready}. */
    public synchronized void enterCall(RoomId in, ParticipantId participant, CallRole as) {
        room = in;
        participantId = participant;
        role = as;
        place = Place.CALL;
        fromSeq = -1;
        held.clear();
    }

    /** Waits in {@code in}'s lobby; only events about this wait are delivered. */
    public synchronized void enterLobby(RoomId in) {
        room = in;
        participantId = null;
        role = null;
        place = Place.LOBBY;
        fromSeq = Long.MAX_VALUE;
    }

    /** Back to no room (left, admitted out of the lobby, or a failed join). */
    public synchronized void leaveRoom() {
        place = Place.NONE;
        participantId = null;
        role = null;
        held.clear();
    }

    /**
     * The join (or resume) landed at {@code seq}: sends {@code first} (the {@code joined} answer
     * and anything replayed), then the held events after {@code seq}.
     */
    public synchronized void ready(long seq, List<String> first) {
        fromSeq = seq;
        first.forEach(this::sendNow);
        for (Held event : held) {
            if (event.seq() > seq) {
                write(event);
            }
        }
        held.clear();
    }

    /** Whether this connection has its position and it is before {@code seq}. */
    public synchronized boolean readyBefore(long seq) {
        return fromSeq >= 0 && fromSeq < seq;
    }

    /** Delivers a room event at stream position {@code seq}, in order, at most once. */
    public void deliver(long seq, String text) {
        deliver(seq, text, 0);
    }

    /** Delivers a room event and then closes the connection with {@code closeCode}. */
    public synchronized void deliver(long seq, String text, int closeCode) {
        if (finished) {
            return;
        }
        Held event = new Held(seq, text, closeCode);
        if (fromSeq < 0) {
            held.add(event);
        } else if (seq > fromSeq) {
            write(event);
        }
    }

    /** Sends an answer or notice outside the room stream (e.g. {@code lobby}, {@code admitted}). */
    public void send(String text) {
        if (!finished) {
            sendNow(text);
        }
    }

    /** Sends {@code text}, then closes: the connection takes nothing more. */
    public synchronized void sendAndClose(String text, int closeCode) {
        if (!finished) {
            write(new Held(0, text, closeCode));
        }
    }

    /** Closes without a message (the close code says why). */
    public synchronized void close(int closeCode) {
        if (!finished) {
            write(new Held(0, null, closeCode));
        }
    }

    /** Whether the server has closed (or is closing) this connection for a reason it told the client. */
    public boolean finished() {
        return finished;
    }

    private void write(Held event) {
        if (event.text() != null) {
            sendNow(event.text());
        }
        if (event.closeCode() != 0) {
            finished = true;
            socket.close(new CloseReason(event.closeCode(), null)).subscribe().with(done -> { },
                    failure -> LOG.debugf("closing %s: %s", id(), failure.getMessage()));
        }
    }

    private void sendNow(String text) {
        socket.sendText(text).subscribe().with(done -> { },
                failure -> LOG.debugf("sending to %s failed: %s", id(), failure.getMessage()));
    }
}
