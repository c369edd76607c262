package dev.parley.signaling.admission;

import dev.parley.events.Topic;
import dev.parley.events.admission.Admission;
import dev.parley.events.admission.AdmissionStatus;
import dev.parley.events.identity.UserId;
import dev.parley.events.invite.InviteCode;
import dev.parley.events.room.RoomId;
import dev.parley.runtime.problem.Problem;
import dev.parley.runtime.problem.ProblemException;
import dev.parley.runtime.kafka.EventLog;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;

import java.time.Instant;
import java.util.Optional;

/**
 * Records who may join which room. Every change is appended to the admissions topic before the
 * view moves, like rooms and invites; callers hold the room's {@code EntityLock} so that a
 * redemption and a host's decision about the same person never interleave.
 */
@ApplicationScoped
public class Admissions {

    private final AdmissionDirectory directory;
    private final EventLog log;

    Admissions(AdmissionDirectory directory, EventLog log) {
        this.directory = directory;
        this.log = log;
    }

    public Optional<Admission> find(RoomId roomId, UserId userId) {
        return directory.find(roomId, userId);
    }

    /**
     * Admits {@code user} through {@code invite}, or puts them in the lobby when {@code waiting}.
     * A person a host removed or denied comes back only through a different invite than the one
     * they held then.
     */
    public Admission grant(RoomId roomId, UserId user, InviteCode invite, boolean waiting, Instant now) {
        requireNotShutOut(roomId, user, invite);
        Optional<Admission> earlier = directory.find(roomId, user);
        if (earlier.isPresent() && earlier.get().status() == AdmissionStatus.ADMITTED) {
            return earlier.get();
        }
        return record(new Admission(roomId, user, waiting ? AdmissionStatus.WAITING : AdmissionStatus.ADMITTED,
                invite, now, user));
    }

    /** Refuses someone a host removed or denied who comes back with the invite they held then. */
    public void requireNotShutOut(RoomId roomId, UserId user, InviteCode invite) {
        Optional<Admission> earlier = directory.find(roomId, user);
        if (earlier.isPresent() && shutOut(earlier.get()) && invite.equals(earlier.get().invite())) {
            throw new ProblemException(Problem.of("removed-from-room", "You were removed from this room",
                    Response.Status.FORBIDDEN, "A host removed you; this invite no longer admits you. Ask for a new one."));
        }
    }

    /** Moves an existing admission to {@code next}, decided by {@code host}. */
    public Admission change(Admission current, AdmissionStatus next, UserId host, Instant now) {
        return record(current.changed(next, now, host));
    }

    private Admission record(Admission admission) {
        directory.apply(admission, log.append(Topic.ADMISSIONS, admission.key(), admission));
        return admission;
    }

    private static boolean shutOut(Admission admission) {
        return admission.status() == AdmissionStatus.REMOVED || admission.status() == AdmissionStatus.DENIED;
    }
}
