package dev.parley.signaling.conference;

import dev.parley.events.call.CallEvents.HandChanged;
import dev.parley.events.call.CallEvents.PayloadKind;
import dev.parley.events.call.CallEvents.PayloadSent;
import dev.parley.events.call.ParticipantId;
import dev.parley.events.room.RoomId;
import dev.parley.signaling.call.CallConnection;
import dev.parley.signaling.call.CallConnection.Place;
import dev.parley.signaling.call.CallError;
import dev.parley.signaling.call.ErrorCode;
import dev.parley.signaling.log.EntityLock;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.util.List;

/**
 * What every participant may do in a call they joined: send end-to-end-encrypted payloads, raise
 * and lower their hand. Payloads are routed, never read: signaling checks their size and
 * addressing only (RFC 9420 leaves delivery to the application; MLS needs one order for
 * handshake messages, which the room stream gives).
 */
@ApplicationScoped
public class CallActions {

    /**
     * The largest payload, decoded: an MLS commit or welcome for a large group still fits, and
     * its base64 with a full {@code to} list stays under the message limit (128 KiB).
     */
    public static final int MAX_PAYLOAD_BYTES = 64 * 1024;
    /** At most this many addressees; a call has at most a thousand members. */
    public static final int MAX_ADDRESSEES = 1000;

    private final CallStream stream;
    private final LiveRoster roster;
    private final EntityLock lock;
    private final Clock clock = Clock.systemUTC();

    CallActions(CallStream stream, LiveRoster roster, EntityLock lock) {
        this.stream = stream;
        this.roster = roster;
        this.lock = lock;
    }

    public void send(CallConnection connection, PayloadKind kind, String data, List<ParticipantId> to, String ref) {
        requireInCall(connection);
        if (kind == PayloadKind.MLS_WELCOME && to.isEmpty()) {
            throw new CallError(ErrorCode.INVALID, "an mls-welcome needs 'to'");
        }
        RoomId room = connection.room();
        if (!to.isEmpty()) {
            List<ParticipantId> absent = roster.absent(room, to);
            if (!absent.isEmpty()) {
                throw new CallError(ErrorCode.PARTICIPANT_NOT_FOUND, absent.get(0) + " is not in the call");
            }
        }
        stream.append(new PayloadSent(room, connection.participantId(), kind, data, to, ref, clock.instant()));
    }

    public void hand(CallConnection connection, boolean raised) {
        requireInCall(connection);
        RoomId room = connection.room();
        lock.holding(EntityLock.room(room), () -> {
            LivePlace place = roster.place(room, connection.participantId())
                    .orElseThrow(() -> new CallError(ErrorCode.NOT_JOINED, "you are no longer in the call"));
            if (place.participant().handRaised() != raised) {
                roster.put(room, place.withParticipant(place.participant().withHand(raised)));
            }
            stream.append(new HandChanged(room, connection.participantId(), raised, clock.instant()));
            return null;
        });
    }

    static void requireInCall(CallConnection connection) {
        if (connection.place() != Place.CALL) {
            throw new CallError(ErrorCode.NOT_JOINED, "join a call first");
        }
    }
}
