package dev.parley.signaling.room;

import dev.parley.events.identity.UserId;
import dev.parley.events.room.RoomCreated;
import dev.parley.events.room.RoomId;
import dev.parley.signaling.SignalingConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.Optional;

/**
 * Creates and looks up rooms: the event goes to the log first, then the view is updated.
 */
@ApplicationScoped
public class RoomService {

    private static final Logger LOG = Logger.getLogger(RoomService.class);

    private final RoomLog log;
    private final RoomDirectory directory;
    private final SignalingConfig config;
    private final Counter created;
    private final SecureRandom random = new SecureRandom();
    private final Clock clock = Clock.systemUTC();

    RoomService(RoomLog log, RoomDirectory directory, SignalingConfig config, MeterRegistry metrics) {
        this.log = log;
        this.directory = directory;
        this.config = config;
        this.created = Counter.builder("parley.rooms.created")
                .description("Rooms created on this replica")
                .register(metrics);
    }

    public Room create(UserId host, CreateRoomRequest request) {
        RoomCreated event = new RoomCreated(RoomId.random(random), clock.instant(), host,
                request.toSettings(config.rooms().defaultMaxParticipants()));
        log.append(event);
        Room room = Room.from(event);
        directory.put(room);
        created.increment();
        LOG.infof("room %s created by %s", room.id(), host);
        return room;
    }

    public Optional<Room> find(RoomId id) {
        return directory.find(id);
    }
}
