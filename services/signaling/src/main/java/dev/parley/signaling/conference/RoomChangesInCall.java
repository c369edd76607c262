package dev.parley.signaling.conference;

import dev.parley.events.call.CallEvents.CallEnded;
import dev.parley.events.call.CallEvents.LockChanged;
import dev.parley.events.call.CallEvents.RoleChanged;
import dev.parley.events.call.CallRole;
import dev.parley.events.room.RoomEnded;
import dev.parley.events.room.RoomHostAdded;
import dev.parley.events.room.RoomSettingsChanged;
import dev.parley.signaling.room.RoomChange;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.time.Clock;

/**
 * Carries room changes into the live call, whether a host made them in the call or through the
 * REST API: an end closes the call for everyone, a lock is announced, a new host gets the role.
 * Runs inside the room's lock (the room service fires {@link RoomChange} while holding it).
 */
@ApplicationScoped
class RoomChangesInCall {

    private final LiveRoster roster;
    private final CallStream stream;
    private final Clock clock = Clock.systemUTC();

    RoomChangesInCall(LiveRoster roster, CallStream stream) {
        this.roster = roster;
        this.stream = stream;
    }

    void on(@Observes RoomChange change) {
        if (change.event() instanceof RoomEnded ended) {
            stream.append(new CallEnded(ended.roomId(), ended.by(), clock.instant()));
            roster.clear(ended.roomId());
        } else if (change.event() instanceof RoomSettingsChanged changed
                && change.before().settings().locked() != changed.room().settings().locked()) {
            stream.append(new LockChanged(changed.roomId(), changed.room().settings().locked(), changed.by(), clock.instant()));
        } else if (change.event() instanceof RoomHostAdded added) {
            for (LivePlace place : roster.places(added.roomId())) {
                if (place.participant().userId().equals(added.host())) {
                    roster.put(added.roomId(), place.withParticipant(place.participant().withRole(CallRole.HOST)));
                    stream.append(new RoleChanged(added.roomId(), place.participant().participantId(), added.host(),
                            CallRole.HOST, added.by(), clock.instant()));
                }
            }
        }
    }
}
