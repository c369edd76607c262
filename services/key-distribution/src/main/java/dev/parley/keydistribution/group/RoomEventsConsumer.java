package dev.parley.keydistribution.group;

import dev.parley.events.room.RoomCreated;
import dev.parley.events.room.RoomEvent;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Follows the rooms topic so that every room has its MLS group before anyone joins its call.
 */
@ApplicationScoped
public class RoomEventsConsumer {

    private static final Logger LOG = Logger.getLogger(RoomEventsConsumer.class);

    private final GroupRegistry groups;

    RoomEventsConsumer(GroupRegistry groups) {
        this.groups = groups;
    }

    @Incoming("room-events")
    @Blocking(ordered = true)
    public void on(RoomEvent event) {
        if (event instanceof RoomCreated created) {
            CallGroup group = groups.open(created.roomId(), created.occurredAt());
            LOG.infof("room %s has MLS group %s", created.roomId(), group.groupId());
        }
    }
}
