package dev.parley.signaling.room;

import dev.parley.events.Topic;
import dev.parley.events.identity.UserId;
import dev.parley.events.room.RoomCreated;
import dev.parley.events.room.RoomEnded;
import dev.parley.events.room.RoomEvent;
import dev.parley.events.room.RoomHostAdded;
import dev.parley.events.room.RoomId;
import dev.parley.events.room.RoomSettingsChanged;
import dev.parley.events.room.RoomState;
import dev.parley.runtime.problem.Problem;
import dev.parley.runtime.problem.ProblemException;
import dev.parley.signaling.SignalingConfig;
import dev.parley.signaling.log.EntityLock;
import dev.parley.runtime.kafka.EventLog;
import dev.parley.runtime.kafka.LogPosition;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;

import java.security.SecureRandom;
import java.time.Clock;

/**
 * What may happen to a room, and who may do it. Every change is an event appended to the room
 * log first; the view is updated only from what the broker accepted.
 *
 * <p>Changes to one room are serialised by {@link EntityLock}: each reads the current state and
 * records the next one before another change of the same room may start, so none is lost.
 */
@ApplicationScoped
public class RoomService {

    private static final Logger LOG = Logger.getLogger(RoomService.class);

    private final EventLog log;
    private final EntityLock lock;
    private final RoomDirectory directory;
    private final SignalingConfig config;
    private final MeterRegistry metrics;
    private final Event<RoomChange> changes;
    private final SecureRandom random = new SecureRandom();
    private final Clock clock = Clock.systemUTC();

    RoomService(EventLog log, EntityLock lock, RoomDirectory directory, SignalingConfig config, MeterRegistry metrics,
                Event<RoomChange> changes) {
        this.log = log;
        this.lock = lock;
        this.directory = directory;
        this.config = config;
        this.metrics = metrics;
        this.changes = changes;
    }

    public RoomState create(UserId creator, CreateRoomRequest request) {
        RoomState room = RoomState.created(RoomId.random(random),
                request.toSettings(config.rooms().defaultMaxParticipants()), creator, clock.instant());
        record(null, new RoomCreated(room, clock.instant(), creator));
        LOG.infof("room %s created by %s", room.id(), creator);
        return room;
    }

    public RoomState find(RoomId id) {
        return directory.find(id).orElseThrow(() -> new ProblemException(Problem.of("room-not-found",
                "No such room", Response.Status.NOT_FOUND, "There is no room " + id + ".")));
    }

    public RoomState update(UserId host, RoomId id, UpdateRoomRequest request) {
        return lock.holding(EntityLock.room(id), () -> {
            RoomState current = requireHost(host, id);
            RoomState changed = current.withSettings(request.applyTo(current.settings()));
            record(current, new RoomSettingsChanged(changed, clock.instant(), host));
            return changed;
        });
    }

    /** Locks or unlocks the room: a locked room admits nobody new. */
    public RoomState setLocked(UserId host, RoomId id, boolean locked) {
        return update(host, id, new UpdateRoomRequest(null, null, null, null, locked));
    }

    /** Makes {@code user} a host of the room too. */
    public RoomState addHost(UserId host, RoomId id, UserId user) {
        return lock.holding(EntityLock.room(id), () -> {
            RoomState current = requireHost(host, id);
            RoomState changed = current.withHost(user);
            if (changed != current) {
                record(current, new RoomHostAdded(changed, user, clock.instant(), host));
            }
            return changed;
        });
    }

    public RoomState end(UserId host, RoomId id) {
        return lock.holding(EntityLock.room(id), () -> {
            RoomState current = requireHost(host, id);
            RoomState ended = current.endedAt(clock.instant());
            record(current, new RoomEnded(ended, ended.endedAt(), host));
            LOG.infof("room %s ended by %s", id, host);
            return ended;
        });
    }

    /** The room, if {@code user} is one of its hosts and it has not ended; a typed error otherwise. */
    public RoomState requireHost(UserId user, RoomId id) {
        RoomState room = find(id);
        if (!room.isHost(user)) {
            throw new ProblemException(Problem.of("not-a-host", "Only hosts may do this",
                    Response.Status.FORBIDDEN, "You are not a host of room " + id + "."));
        }
        if (room.ended()) {
            throw new ProblemException(Problem.of("room-ended", "The room has ended",
                    Response.Status.CONFLICT, "Room " + id + " was ended at " + room.endedAt() + "."));
        }
        return room;
    }

    private void record(RoomState before, RoomEvent event) {
        LogPosition position = log.append(Topic.ROOMS, event.roomId().value(), event);
        directory.apply(event.room(), position);
        metrics.counter("parley.room.events", "type", event.getClass().getSimpleName()).increment();
        changes.fire(new RoomChange(before, event));
    }
}
