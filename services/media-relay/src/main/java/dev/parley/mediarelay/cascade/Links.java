package dev.parley.mediarelay.cascade;

import dev.parley.media.srtp.SrtpPacket;
import dev.parley.media.srtp.SrtpTransformer;
import dev.parley.mediarelay.placement.RelayId;
import dev.parley.mediarelay.session.RoomId;
import dev.parley.mediarelay.session.Session;
import dev.parley.mediarelay.transport.MediaSocket;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * This relay's links with the other relays of its cascaded rooms, by room and by the other relay's
 * media port; and the uplink: every RTP packet a local participant publishes goes, besides to the
 * local subscribers, once over each link of its room, protected with the link's SRTP context
 * (RFC 3711 §3.3), with its SSRC, sequence number, timestamp and opaque payload unchanged.
 */
@Singleton
public class Links {

    /** Room for the SRTP trailer: a 16-byte GCM tag (RFC 7714 §7) and SRTCP's index. */
    private static final int TRAILER = 20;

    private final Map<RoomId, List<Link>> byRoom = new ConcurrentHashMap<>();
    private final Map<InetSocketAddress, List<Link>> byPeerMedia = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final MediaSocket socket;
    private final Counter sent;
    private final Counter sendFailures;

    Links(MediaSocket socket, MeterRegistry metrics) {
        this.socket = socket;
        Gauge.builder("parley.media.cascade.links", byRoom, rooms -> rooms.values().stream().mapToInt(List::size).sum())
                .description("Links open with other relays, one per room and other relay")
                .register(metrics);
        this.sent = Counter.builder("parley.media.cascade.link.packets").tag("direction", "out")
                .description("RTP and RTCP packets sent to (out) or received from (in) other relays over links")
                .register(metrics);
        this.sendFailures = Counter.builder("parley.media.cascade.link.send.failures")
                .description("Packets for a link that could not be protected")
                .register(metrics);
    }

    /** The links of {@code room}. */
    List<Link> inRoom(RoomId room) {
        return byRoom.getOrDefault(room, List.of());
    }

    Optional<Link> get(RoomId room, RelayId peer) {
        return inRoom(room).stream().filter(link -> link.peer().equals(peer)).findFirst();
    }

    /** The link of {@code room} with {@code peer}, made (with a fresh key of this relay's) if there was none. */
    Link getOrCreate(RoomId room, RelayId peer) {
        synchronized (byRoom) {
            return get(room, peer).orElseGet(() -> {
                Link link = new Link(room, peer, LinkKey.random(random));
                byRoom.computeIfAbsent(room, r -> new CopyOnWriteArrayList<>()).add(link);
                return link;
            });
        }
    }

    /** Files a keyed link under the other relay's media port, where its packets come from. */
    void reachable(Link link, InetSocketAddress previous) {
        synchronized (byRoom) {
            if (previous != null) {
                unfile(link, previous);
            }
            link.peerMedia().ifPresent(media ->
                    byPeerMedia.computeIfAbsent(media, m -> new CopyOnWriteArrayList<>()).add(link));
        }
    }

    /** Forgets a link. */
    void remove(Link link) {
        synchronized (byRoom) {
            byRoom.computeIfPresent(link.room(), (room, links) -> {
                links.remove(link);
                return links.isEmpty() ? null : links;
            });
            link.peerMedia().ifPresent(media -> unfile(link, media));
        }
    }

    private void unfile(Link link, InetSocketAddress media) {
        byPeerMedia.computeIfPresent(media, (m, links) -> {
            links.remove(link);
            return links.isEmpty() ? null : links;
        });
    }

    /** The links whose other relay sends from {@code address}. */
    List<Link> from(InetSocketAddress address) {
        return byPeerMedia.getOrDefault(address, List.of());
    }

    /** Whether {@code session} is the stand-in of another relay's participant, not a local one. */
    public boolean isStandIn(Session session) {
        return session.room().map(room -> inRoom(room).stream().anyMatch(link -> link.holds(session))).orElse(false);
    }

    /** Whether {@code room} has links to other relays here. */
    public boolean linked(RoomId room) {
        return byRoom.containsKey(room);
    }

    /**
     * Sends an unprotected RTP packet a local participant of {@code room} published over every
     * link of the room. Runs on the media thread; {@code rtp} is not changed.
     */
    public void uplink(RoomId room, byte[] rtp, int offset, int length) {
        List<Link> links = byRoom.get(room);
        if (links == null) {
            return;
        }
        for (Link link : links) {
            Optional<SrtpTransformer> srtp = link.srtp();
            Optional<InetSocketAddress> media = link.peerMedia();
            if (srtp.isEmpty() || media.isEmpty()) {
                continue;
            }
            SrtpPacket packet = new SrtpPacket(Arrays.copyOfRange(rtp, offset, offset + length + TRAILER), 0, length);
            if (!srtp.get().protectRtp(packet)) {
                sendFailures.increment();
                continue;
            }
            socket.send(packet.getBuffer(), packet.getOffset(), packet.getLength(), media.get());
            sent.increment();
        }
    }
}
