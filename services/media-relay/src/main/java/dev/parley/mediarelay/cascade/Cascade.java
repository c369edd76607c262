package dev.parley.mediarelay.cascade;

import dev.parley.events.call.ParticipantId;
import dev.parley.mediarelay.MediaRelayConfig;
import dev.parley.mediarelay.placement.RelayHeartbeat;
import dev.parley.mediarelay.placement.RelayId;
import dev.parley.mediarelay.rtp.PublishedTrack;
import dev.parley.mediarelay.session.MediaMovedOff;
import dev.parley.mediarelay.session.RoomId;
import dev.parley.mediarelay.session.Session;
import dev.parley.mediarelay.session.SessionRegistry;
import dev.parley.mediarelay.transport.MediaSocket;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Rooms that span several relays ({@code docs/media-relay.md}, "Cascading"). When signaling
 * places a participant here and names the room's other relays ({@code peers}), this relay opens a
 * link with each it has none with; whenever what its own participants of the room publish changes,
 * it tells every linked relay; when its last participant of the room leaves, it closes the room's
 * links. The other side of each call is {@link LinkResource}.
 */
@Singleton
public class Cascade {

    private static final Logger LOG = Logger.getLogger(Cascade.class);
    private static final Comparator<Session> BY_PARTICIPANT = Comparator.comparing(
            (Session session) -> session.participant().map(ParticipantId::value).orElse(""));

    private final SessionRegistry sessions;
    private final Links links;
    private final LinkClient client;
    private final RelayHeartbeat heartbeat;
    private final MediaRelayConfig config;
    private final MediaSocket socket;
    private final LinkFailures failures;
    private final ExecutorService background = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "cascade-links");
        thread.setDaemon(true);
        return thread;
    });

    Cascade(SessionRegistry sessions, Links links, LinkClient client, RelayHeartbeat heartbeat, MediaRelayConfig config,
            MediaSocket socket, MeterRegistry metrics) {
        this.sessions = sessions;
        this.links = links;
        this.client = client;
        this.heartbeat = heartbeat;
        this.config = config;
        this.socket = socket;
        this.failures = new LinkFailures(metrics);
        sessions.onClose(this::closed);
    }

    /**
     * Before a participant's offer is answered: links the room with each of {@code peers} it is not
     * linked with yet, so the answer's slots can carry their participants' tracks at once. A relay
     * that cannot be linked is logged and counted; the participant gets the media of this relay.
     */
    public void linkTo(RoomId room, List<LinkPeer> peers) {
        if (peers == null) {
            return;
        }
        for (LinkPeer peer : peers) {
            RelayId id = new RelayId(peer.relayId());
            if (id.equals(heartbeat.id()) || links.get(room, id).flatMap(Link::srtp).isPresent()) {
                continue;
            }
            open(room, links.getOrCreate(room, id), URI.create(peer.controlUrl()));
        }
    }

    /**
     * After a participant's offer is answered or its session closed: tells every linked relay of
     * the room what this relay's participants publish, when that changed; closes the room's links
     * when none of its participants is left here.
     */
    public void published(RoomId room) {
        List<Session> local = local(room);
        if (local.isEmpty()) {
            closeRoom(room);
            return;
        }
        List<LinkTrack> tracks = TrackDescriptions.describe(local);
        for (Link link : links.inRoom(room)) {
            synchronized (link.telling) {
                if (link.srtp().isEmpty() || !link.tell(tracks)) {
                    continue;
                }
                try {
                    client.tell(link.peerControl(), room, heartbeat.id().value(), new LinkTracks(tracks));
                } catch (LinkClient.LinkCallException e) {
                    link.untold();
                    if (e.status() == 404) {
                        open(room, link, link.peerControl()); // the other relay lost the link (it restarted)
                    } else {
                        failures.count("tell");
                        LOG.warnf("could not tell relay %s the tracks of room %s: %s", link.peer(), room, e.getMessage());
                    }
                }
            }
        }
    }

    /** {@code POST .../links}: another relay links with this one; answers with this relay's side. */
    LinkAnswer accept(RoomId room, LinkOffer offer) {
        RelayId peer = new RelayId(offer.relayId());
        if (peer.equals(heartbeat.id())) {
            throw LinkProblems.selfLink();
        }
        Map<ParticipantId, List<PublishedTrack>> tracks = TrackDescriptions.parse(offer.tracks());
        InetSocketAddress media = offer.media().socketAddress();
        List<Session> local = local(room);
        if (local.isEmpty()) {
            throw LinkProblems.roomNotHere(room.value());
        }
        boolean existed = links.get(room, peer).isPresent();
        Link link = links.getOrCreate(room, peer);
        try {
            key(link, URI.create(offer.controlUrl()), media, offer.key());
            publish(link, tracks);
        } catch (RuntimeException e) {
            if (!existed) { // a refused first offer leaves no link behind
                link.close(sessions);
                links.remove(link);
            }
            throw e;
        }
        List<LinkTrack> described = TrackDescriptions.describe(local);
        // Not under link.telling: this relay may itself be opening the link to the other one right
        // now (both got a participant at once), holding it while it waits for the other's answer.
        link.tell(described);
        return new LinkAnswer(heartbeat.id().value(), ownMedia(), link.ownKey(), described);
    }

    /** {@code PUT .../links/{relayId}/tracks}: what the other relay's participants publish now. */
    void update(RoomId room, String relayId, LinkTracks tracks) {
        Map<ParticipantId, List<PublishedTrack>> parsed = TrackDescriptions.parse(tracks.tracks());
        Link link = links.get(room, new RelayId(relayId)).filter(l -> l.srtp().isPresent())
                .orElseThrow(() -> LinkProblems.noSuchLink(relayId));
        publish(link, parsed);
    }

    /** {@code PUT .../links/{relayId}/receiving}: which of this relay's tracks the other relay's participants receive now. */
    void receiving(RoomId room, String relayId, LinkReceiving receiving) {
        Link link = links.get(room, new RelayId(relayId)).filter(l -> l.srtp().isPresent())
                .orElseThrow(() -> LinkProblems.noSuchLink(relayId));
        link.receiving(receiving.received());
    }

    /**
     * Signaling moved the room's media off {@code relayId} (dead or draining): its link and the
     * stand-ins of its participants go now, rather than when this relay's own participants leave.
     * The participants it carried come back through whichever relay they offer to next.
     */
    void movedOff(@Observes MediaMovedOff moved) {
        close(moved.room(), moved.relayId());
    }

    /** {@code DELETE .../links/{relayId}}: the other relay has no participant of the room left. */
    void close(RoomId room, String relayId) {
        links.get(room, new RelayId(relayId)).ifPresent(link -> {
            link.close(sessions);
            links.remove(link);
        });
    }

    private void open(RoomId room, Link link, URI control) {
        synchronized (link.telling) {
            List<LinkTrack> tracks = TrackDescriptions.describe(local(room));
            LinkOffer offer = new LinkOffer(heartbeat.id().value(), heartbeat.controlUrl().orElseThrow(), ownMedia(),
                    link.ownKey(), tracks);
            try {
                LinkAnswer answer = client.open(control, room, offer);
                key(link, control, answer.media().socketAddress(), answer.key());
                publish(link, TrackDescriptions.parse(answer.tracks()));
                link.tell(tracks);
                LOG.infof("room %s linked with relay %s", room, link.peer());
            } catch (LinkClient.LinkCallException e) {
                if (e.status() == 404) {
                    // room-not-here: none of the room's participants is on that relay (any more).
                    LOG.debugf("relay %s carries no participant of room %s: nothing to link", link.peer(), room);
                } else {
                    failures.count("open");
                    LOG.warnf("could not link room %s with relay %s at %s: %s", room, link.peer(), control, e.getMessage());
                }
                if (link.srtp().isEmpty()) {
                    links.remove(link);
                }
            } catch (RuntimeException e) {
                failures.count("open");
                LOG.warnf("could not link room %s with relay %s at %s: %s", room, link.peer(), control, e.getMessage());
                if (link.srtp().isEmpty()) {
                    links.remove(link);
                }
            }
        }
    }

    private void key(Link link, URI control, InetSocketAddress media, LinkKey key) {
        Optional<InetSocketAddress> before = link.peerMedia();
        link.keyed(control, media, key, sessions);
        if (!before.equals(link.peerMedia())) {
            links.reachable(link, before.orElse(null));
        }
    }

    private void publish(Link link, Map<ParticipantId, List<PublishedTrack>> tracks) {
        try {
            link.publish(tracks, sessions);
        } catch (SessionRegistry.SsrcConflictException e) {
            throw LinkProblems.conflict(e.getMessage());
        }
    }

    private void closeRoom(RoomId room) {
        for (Link link : links.inRoom(room)) {
            link.close(sessions);
            links.remove(link);
            if (link.peerControl() != null) {
                try {
                    client.close(link.peerControl(), room, heartbeat.id().value());
                } catch (LinkClient.LinkCallException e) {
                    LOG.debugf("could not tell relay %s that room %s left: %s", link.peer(), room, e.getMessage());
                }
            }
        }
    }

    /** This relay's own participants' sessions of {@code room}, by participant id. */
    private List<Session> local(RoomId room) {
        return sessions.inRoom(room).stream().filter(session -> session.participant().isPresent())
                .filter(session -> !links.isStandIn(session)).sorted(BY_PARTICIPANT).toList();
    }

    private MediaAddress ownMedia() {
        return new MediaAddress(config.candidateAddress(), socket.localAddress().getPort());
    }

    /** A participant's session closed: the linked relays learn it, off the closing thread. */
    private void closed(Session session) {
        if (session.participant().isEmpty() || session.room().isEmpty()) {
            return;
        }
        RoomId room = session.room().get();
        if (!links.inRoom(room).isEmpty()) {
            background.execute(() -> published(room));
        }
    }

    void stop(@Observes ShutdownEvent stopping) {
        background.shutdownNow();
    }
}
