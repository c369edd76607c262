package dev.parley.mediarelay.cascade;

import dev.parley.mediarelay.Timers;
import dev.parley.mediarelay.placement.RelayHeartbeat;
import dev.parley.mediarelay.rtp.Ssrc;
import dev.parley.mediarelay.session.Feed;
import dev.parley.mediarelay.session.RenderedSize;
import dev.parley.mediarelay.session.Session;
import dev.parley.mediarelay.session.SessionRegistry;
import dev.parley.mediarelay.session.Slot;
import dev.parley.mediarelay.simulcast.LayerSwitch;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Tells each linked relay which of its participants' tracks this relay's participants receive,
 * whenever that changes ({@code PUT /api/v1/rooms/{room}/links/{relayId}/receiving}), so it sends
 * over the link only those ({@link LinkFeeds}). A track is received when a local participant's
 * slot carries its stand-in's track and is not paused (it renders it larger than 0×0); with it goes
 * the largest size the participants render it at, so a simulcast track crosses the link no larger
 * than needed. Looked at every {@link #INTERVAL_MS} ms: slots change with answers, sizes with
 * layouts, and both with sessions closing, and the layer selector pauses slots on its own timer.
 * A tell that fails is sent again at the next look.
 */
@Singleton
public class LinkSubscriptions {

    private static final Logger LOG = Logger.getLogger(LinkSubscriptions.class);
    static final long INTERVAL_MS = 250;

    private final Links links;
    private final SessionRegistry sessions;
    private final LinkClient client;
    private final RelayHeartbeat heartbeat;
    private final ScheduledExecutorService timer = Timers.daemon("link-subscriptions");

    LinkSubscriptions(Links links, SessionRegistry sessions, LinkClient client, RelayHeartbeat heartbeat) {
        this.links = links;
        this.sessions = sessions;
        this.client = client;
        this.heartbeat = heartbeat;
    }

    void start(@Observes StartupEvent started) {
        timer.scheduleWithFixedDelay(this::tellAll, INTERVAL_MS, INTERVAL_MS, TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent stopping) {
        timer.shutdownNow();
    }

    private void tellAll() {
        for (Link link : links.all()) {
            try {
                tell(link);
            } catch (RuntimeException e) {
                LOG.debugf(e, "telling %s what room %s receives failed", link.peer(), link.room());
            }
        }
    }

    private void tell(Link link) {
        if (link.srtp().isEmpty() || link.peerControl() == null) {
            return;
        }
        Map<Ssrc, Optional<RenderedSize>> received = received(link);
        if (!link.tellReceiving(received)) {
            return;
        }
        try {
            client.receiving(link.peerControl(), link.room(), heartbeat.id().value(), LinkReceiving.of(received));
        } catch (LinkClient.LinkCallException e) {
            link.untoldReceiving();
            LOG.debugf("could not tell relay %s what room %s receives: %s", link.peer(), link.room(), e.getMessage());
        }
    }

    /**
     * The tracks of {@code link}'s stand-ins that a local participant's slot carries, unpaused, each
     * with the largest size they are rendered at: one pass over the room's participants' slots.
     */
    Map<Ssrc, Optional<RenderedSize>> received(Link link) {
        Set<Session> standIns = Set.copyOf(link.standIns());
        Map<Ssrc, Optional<RenderedSize>> received = new HashMap<>();
        for (Session subscriber : sessions.inRoom(link.room())) {
            if (subscriber.participant().isEmpty() || links.isStandIn(subscriber)) {
                continue;
            }
            for (Slot slot : subscriber.slots().values()) {
                Optional<Feed> feed = slot.feed().filter(carried -> standIns.contains(carried.publisher()));
                if (feed.isEmpty() || slot.stream().map(LayerSwitch::target).orElse(LayerSwitch.PAUSED)
                        == LayerSwitch.PAUSED) {
                    continue;
                }
                received.merge(feed.get().track().ssrc(), Optional.ofNullable(subscriber.rendered().get(slot.mid())),
                        LinkSubscriptions::larger);
            }
        }
        return Map.copyOf(received);
    }

    /** The larger of two rendered sizes each way; not known when either is not. */
    private static Optional<RenderedSize> larger(Optional<RenderedSize> one, Optional<RenderedSize> other) {
        if (one.isEmpty() || other.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new RenderedSize(Math.max(one.get().width(), other.get().width()),
                Math.max(one.get().height(), other.get().height())));
    }
}
