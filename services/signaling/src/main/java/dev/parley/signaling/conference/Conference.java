package dev.parley.signaling.conference;

import dev.parley.events.admission.Admission;
import dev.parley.events.admission.AdmissionStatus;
import dev.parley.events.call.CallEvents.LobbyEntered;
import dev.parley.events.call.CallEvents.LobbyLeft;
import dev.parley.events.call.CallEvents.LobbyOutcome;
import dev.parley.events.call.CallEvents.LeaveReason;
import dev.parley.events.call.CallEvents.ParticipantJoined;
import dev.parley.events.call.CallEvents.ParticipantLeft;
import dev.parley.events.call.CallEvents.ParticipantResumed;
import dev.parley.events.call.CallParticipant;
import dev.parley.events.call.CallRole;
import dev.parley.events.call.ParticipantId;
import dev.parley.events.identity.UserId;
import dev.parley.events.room.RoomId;
import dev.parley.events.room.RoomState;
import dev.parley.signaling.SignalingConfig;
import dev.parley.signaling.admission.Admissions;
import dev.parley.signaling.call.CallConnection;
import dev.parley.signaling.call.CallConnection.Place;
import dev.parley.signaling.call.CallError;
import dev.parley.signaling.call.Caller;
import dev.parley.signaling.call.ErrorCode;
import dev.parley.signaling.log.EntityLock;
import dev.parley.runtime.kafka.LogPosition;
import dev.parley.signaling.room.RoomDirectory;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * Entering and leaving calls: {@code join} (or the lobby), {@code resume}, {@code leave}, and a
 * dropped connection. Every change of a room's live state happens under the room's
 * {@link EntityLock}, and its event is appended to the room stream before the lock is released,
 * so the order of the stream is the order of the changes.
 */
@ApplicationScoped
public class Conference {

    private static final Logger LOG = Logger.getLogger(Conference.class);

    private final RoomDirectory rooms;
    private final Admissions admissions;
    private final LiveRoster roster;
    private final CallStream stream;
    private final LocalMembers members;
    private final EntityLock lock;
    private final Replay replay;
    private final ReplicaId replica;
    private final Duration grace;
    private final SecureRandom random = new SecureRandom();
    private final Clock clock = Clock.systemUTC();

    Conference(RoomDirectory rooms, Admissions admissions, LiveRoster roster, CallStream stream, LocalMembers members,
               EntityLock lock, Replay replay, ReplicaId replica, SignalingConfig config) {
        this.rooms = rooms;
        this.admissions = admissions;
        this.roster = roster;
        this.stream = stream;
        this.members = members;
        this.lock = lock;
        this.replay = replay;
        this.replica = replica;
        this.grace = config.calls().resumeGrace();
    }

    public void join(CallConnection connection, RoomId roomId, String ref) {
        requireNowhere(connection);
        Caller caller = connection.caller();
        if (caller.guestRoom() != null && !caller.guestRoom().equals(roomId)) {
            throw new CallError(ErrorCode.WRONG_ROOM, "your guest token is for another room");
        }
        lock.holding(EntityLock.room(roomId), () -> {
            RoomState room = rooms.find(roomId).orElseThrow(() -> new CallError(ErrorCode.ROOM_NOT_FOUND, "no room " + roomId));
            if (room.ended()) {
                throw new CallError(ErrorCode.ROOM_ENDED, "the room has ended");
            }
            boolean host = room.isHost(caller.userId());
            // A guest who redeemed while the room had a lobby waits only if it still has one.
            if (!host && requireAdmission(room, caller) == AdmissionStatus.WAITING && room.settings().lobby()) {
                enterLobby(connection, room, ref);
                return null;
            }
            // Read before appending: under the lock, the call at this join's seq is exactly what
            // is read here plus the joiner, and nothing that can fail is left once it is recorded.
            List<LivePlace> present = new ArrayList<>(roster.places(roomId));
            if (present.size() >= room.settings().maxParticipants()) {
                throw new CallError(ErrorCode.ROOM_FULL, "the call has " + room.settings().maxParticipants() + " participants");
            }
            CallRole role = host ? CallRole.HOST : caller.verified() ? CallRole.PARTICIPANT : CallRole.GUEST;
            CallParticipant you = new CallParticipant(ParticipantId.random(random), caller.userId(), caller.displayName(),
                    caller.verified(), role, false, clock.instant());
            ResumeToken resume = ResumeToken.issue(roomId, you.participantId(), random);
            LivePlace yours = new LivePlace(you, replica.value(), connection.id(), resume.hash(), 0);
            present.add(yours);
            List<LobbyEntry> waiting = host ? roster.lobby(roomId) : null;
            connection.enterCall(roomId, you.participantId(), role);
            members.add(roomId, connection);
            LogPosition position;
            try {
                roster.put(roomId, yours);
                position = stream.append(new ParticipantJoined(roomId, you, clock.instant()));
            } catch (RuntimeException e) {
                undoJoin(connection, roomId, you.participantId());
                throw e;
            }
            connection.ready(position.offset(), List.of(CallView.of("joined", ref, position.offset(), room, you, resume,
                    present, waiting)));
            LOG.debugf("%s joined %s as %s", caller.userId(), roomId, you.participantId());
            return null;
        });
    }

    /** Checks that the caller may enter; returns their admission's status (ADMITTED or WAITING). */
    private AdmissionStatus requireAdmission(RoomState room, Caller caller) {
        if (!caller.verified() && room.settings().ssoOnly()) {
            throw new CallError(ErrorCode.NOT_ADMITTED, "this room admits signed-in users only");
        }
        Admission admission = admissions.find(room.id(), caller.userId())
                .orElseThrow(() -> new CallError(ErrorCode.NOT_ADMITTED, "you need an invite to this room"));
        if (admission.status() == AdmissionStatus.REMOVED || admission.status() == AdmissionStatus.DENIED) {
            throw new CallError(ErrorCode.REMOVED, "a host removed you from this room; ask for a new invite");
        }
        if (room.settings().locked()) {
            throw new CallError(ErrorCode.ROOM_LOCKED, "the room is locked");
        }
        return admission.status();
    }

    private void enterLobby(CallConnection connection, RoomState room, String ref) {
        Caller caller = connection.caller();
        connection.enterLobby(room.id());
        members.add(room.id(), connection);
        try {
            roster.putLobby(room.id(), new LobbyEntry(caller.userId(), caller.displayName(), clock.instant(),
                    replica.value(), connection.id()));
            stream.append(new LobbyEntered(room.id(), caller.userId(), caller.displayName(), clock.instant()));
        } catch (RuntimeException e) {
            members.remove(room.id(), connection);
            connection.leaveRoom();
            roster.removeLobby(room.id(), caller.userId());
            throw e;
        }
        connection.send(CallView.notice("lobby", ref, room.id().value()));
    }

    public void resume(CallConnection connection, String token, OptionalLong lastSeq, String ref) {
        requireNowhere(connection);
        ResumeToken presented = ResumeToken.parse(token)
                .orElseThrow(() -> new CallError(ErrorCode.RESUME_FAILED, "not a resume token"));
        RoomId roomId = presented.room();
        Resumed resumed = lock.holding(EntityLock.room(roomId), () -> {
            LivePlace place = roster.place(roomId, presented.participant())
                    .filter(found -> found.participant().userId().equals(connection.caller().userId()))
                    .filter(found -> presented.matches(found.resumeHash()))
                    .orElseThrow(() -> new CallError(ErrorCode.RESUME_FAILED,
                            "no place to resume: the grace period is over or the token is not yours; join again"));
            RoomState room = rooms.find(roomId).filter(found -> !found.ended())
                    .orElseThrow(() -> new CallError(ErrorCode.RESUME_FAILED, "the room has ended"));
            CallParticipant you = place.participant();
            ResumeToken next = ResumeToken.issue(roomId, you.participantId(), random);
            List<LivePlace> present = roster.places(roomId);
            List<LobbyEntry> waiting = you.role() == CallRole.HOST ? roster.lobby(roomId) : null;
            connection.enterCall(roomId, you.participantId(), you.role());
            members.add(roomId, connection);
            LogPosition position;
            try {
                roster.put(roomId, new LivePlace(you, replica.value(), connection.id(), next.hash(), 0, place.tracks()));
                position = stream.append(new ParticipantResumed(roomId, you.participantId(), you.userId(), clock.instant()));
            } catch (RuntimeException e) {
                members.remove(roomId, connection);
                connection.leaveRoom();
                roster.put(roomId, place);
                throw e;
            }
            return new Resumed(position, CallView.of("resumed", ref, position.offset(), room, you, next, present, waiting));
        });
        List<String> first = new ArrayList<>();
        first.add(resumed.view());
        if (lastSeq.isPresent()) {
            first.addAll(replay.between(resumed.position().partition(), lastSeq.getAsLong(), resumed.position().offset(),
                    connection));
        }
        connection.ready(resumed.position().offset(), first);
    }

    private record Resumed(LogPosition position, String view) {
    }

    public void leave(CallConnection connection, String ref) {
        RoomId roomId = connection.room();
        if (connection.place() == Place.NONE) {
            throw new CallError(ErrorCode.NOT_JOINED, "you are not in a call or a lobby");
        }
        lock.holding(EntityLock.room(roomId), () -> {
            members.remove(roomId, connection);
            if (connection.place() == Place.LOBBY) {
                leaveLobby(roomId, connection.caller().userId());
            } else {
                ParticipantId participant = connection.participantId();
                if (roster.place(roomId, participant).isPresent()) {
                    roster.remove(roomId, participant);
                    stream.append(new ParticipantLeft(roomId, participant, connection.caller().userId(), LeaveReason.LEFT,
                            connection.caller().userId(), clock.instant()));
                }
            }
            connection.leaveRoom();
            return null;
        });
        connection.send(CallView.notice("left", ref, roomId.value()));
    }

    /**
     * The connection closed. In a call, the place is kept for the grace period (the others see
     * nothing); in a lobby, the wait ends.
     */
    public void disconnected(CallConnection connection) {
        RoomId roomId = connection.room();
        Place place = connection.place();
        if (place == Place.NONE || roomId == null) {
            return;
        }
        members.remove(roomId, connection);
        if (connection.finished()) {
            return;
        }
        lock.holding(EntityLock.room(roomId), () -> {
            if (place == Place.LOBBY) {
                leaveLobby(roomId, connection.caller().userId());
            } else {
                roster.place(roomId, connection.participantId())
                        .filter(found -> found.connectionId().equals(connection.id()))
                        .ifPresent(found -> roster.put(roomId, found.suspendedUntil(clock.millis() + grace.toMillis())));
            }
            return null;
        });
    }

    private void leaveLobby(RoomId roomId, UserId user) {
        if (roster.waiting(roomId, user).isPresent()) {
            roster.removeLobby(roomId, user);
            stream.append(new LobbyLeft(roomId, user, LobbyOutcome.GONE, user, clock.instant()));
        }
    }

    private void undoJoin(CallConnection connection, RoomId roomId, ParticipantId participant) {
        members.remove(roomId, connection);
        connection.leaveRoom();
        try {
            roster.remove(roomId, participant);
        } catch (RuntimeException e) {
            LOG.warnf("could not undo the place of %s in %s: %s", participant, roomId, e.getMessage());
        }
    }

    private static void requireNowhere(CallConnection connection) {
        if (connection.place() != Place.NONE) {
            throw new CallError(ErrorCode.ALREADY_JOINED, "this connection is already in a call or a lobby");
        }
    }
}
