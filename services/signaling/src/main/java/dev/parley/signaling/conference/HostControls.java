package dev.parley.signaling.conference;

import dev.parley.events.admission.Admission;
import dev.parley.events.admission.AdmissionStatus;
import dev.parley.events.call.CallEvents.LeaveReason;
import dev.parley.events.call.CallEvents.LobbyLeft;
import dev.parley.events.call.CallEvents.LobbyOutcome;
import dev.parley.events.call.CallEvents.Media;
import dev.parley.events.call.CallEvents.MuteRequested;
import dev.parley.events.call.CallEvents.ParticipantLeft;
import dev.parley.events.call.ParticipantId;
import dev.parley.events.identity.UserId;
import dev.parley.events.room.RoomId;
import dev.parley.events.room.RoomState;
import dev.parley.signaling.admission.Admissions;
import dev.parley.signaling.call.CallConnection;
import dev.parley.signaling.call.CallError;
import dev.parley.signaling.call.ErrorCode;
import dev.parley.signaling.log.EntityLock;
import dev.parley.signaling.room.RoomDirectory;
import dev.parley.signaling.room.RoomService;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Clock;

/**
 * What only hosts may do in a call ({@code docs/protocol.md}, "Host controls"). Whether the
 * sender is a host is read from the room itself at each action, never from the connection, so a
 * promotion or a host list changed through the REST API applies at once on every replica.
 */
@ApplicationScoped
public class HostControls {

    private static final Logger LOG = Logger.getLogger(HostControls.class);

    private final RoomDirectory rooms;
    private final RoomService roomService;
    private final Admissions admissions;
    private final LiveRoster roster;
    private final CallStream stream;
    private final EntityLock lock;
    private final Clock clock = Clock.systemUTC();

    HostControls(RoomDirectory rooms, RoomService roomService, Admissions admissions, LiveRoster roster,
                 CallStream stream, EntityLock lock) {
        this.rooms = rooms;
        this.roomService = roomService;
        this.admissions = admissions;
        this.roster = roster;
        this.stream = stream;
        this.lock = lock;
    }

    public void mute(CallConnection host, ParticipantId target, Media media) {
        RoomId room = requireHost(host).id();
        requirePlace(room, target);
        stream.append(new MuteRequested(room, target, media, host.caller().userId(), clock.instant()));
    }

    /**
     * Removes every place the target's user holds in the call and withdraws their admission: the
     * invite they came with no longer admits them.
     */
    public void remove(CallConnection host, ParticipantId target) {
        CallActions.requireInCall(host);
        RoomId roomId = host.room();
        lock.holding(EntityLock.room(roomId), () -> {
            RoomState room = requireHost(host);
            LivePlace place = requirePlace(roomId, target);
            UserId user = place.participant().userId();
            if (room.isHost(user)) {
                throw new CallError(ErrorCode.INVALID, "hosts cannot be removed");
            }
            admissions.find(roomId, user).ifPresent(admission ->
                    admissions.change(admission, AdmissionStatus.REMOVED, host.caller().userId(), clock.instant()));
            for (LivePlace held : roster.places(roomId)) {
                if (held.participant().userId().equals(user)) {
                    roster.remove(roomId, held.participant().participantId());
                    stream.append(new ParticipantLeft(roomId, held.participant().participantId(), user, LeaveReason.REMOVED,
                            host.caller().userId(), clock.instant()));
                }
            }
            LOG.infof("%s removed %s from %s", host.caller().userId(), user, roomId);
            return null;
        });
    }

    public void lock(CallConnection host, boolean locked) {
        RoomState room = requireHost(host);
        roomService.setLocked(host.caller().userId(), room.id(), locked);
    }

    /** Lets a guest out of the lobby into the call ({@code admit}) or turns them away ({@code deny}). */
    public void decide(CallConnection host, UserId waiting, boolean admit) {
        CallActions.requireInCall(host);
        RoomId roomId = host.room();
        lock.holding(EntityLock.room(roomId), () -> {
            RoomState room = requireHost(host);
            roster.waiting(roomId, waiting)
                    .orElseThrow(() -> new CallError(ErrorCode.NOT_IN_LOBBY, waiting + " is not in the lobby"));
            Admission admission = admissions.find(roomId, waiting)
                    .filter(found -> found.status() == AdmissionStatus.WAITING)
                    .orElseThrow(() -> new CallError(ErrorCode.NOT_IN_LOBBY, waiting + " is not waiting for a decision"));
            if (admit && room.settings().locked()) {
                throw new CallError(ErrorCode.ROOM_LOCKED, "unlock the room to admit anyone");
            }
            admissions.change(admission, admit ? AdmissionStatus.ADMITTED : AdmissionStatus.DENIED,
                    host.caller().userId(), clock.instant());
            roster.removeLobby(roomId, waiting);
            stream.append(new LobbyLeft(roomId, waiting, admit ? LobbyOutcome.ADMITTED : LobbyOutcome.DENIED,
                    host.caller().userId(), clock.instant()));
            return null;
        });
    }

    public void end(CallConnection host) {
        RoomState room = requireHost(host);
        roomService.end(host.caller().userId(), room.id());
    }

    public void promote(CallConnection host, ParticipantId target) {
        RoomState room = requireHost(host);
        LivePlace place = requirePlace(room.id(), target);
        if (!place.participant().verified()) {
            throw new CallError(ErrorCode.INVALID, "guests cannot become hosts");
        }
        roomService.addHost(host.caller().userId(), room.id(), place.participant().userId());
    }

    private RoomState requireHost(CallConnection connection) {
        CallActions.requireInCall(connection);
        RoomState room = rooms.find(connection.room())
                .orElseThrow(() -> new CallError(ErrorCode.ROOM_NOT_FOUND, "the room no longer exists"));
        if (!room.isHost(connection.caller().userId())) {
            throw new CallError(ErrorCode.NOT_A_HOST, "only hosts may do this");
        }
        return room;
    }

    private LivePlace requirePlace(RoomId room, ParticipantId participant) {
        return roster.place(room, participant)
                .orElseThrow(() -> new CallError(ErrorCode.PARTICIPANT_NOT_FOUND, participant + " is not in the call"));
    }
}
