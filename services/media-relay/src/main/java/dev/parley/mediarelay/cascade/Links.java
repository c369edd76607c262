package dev.parley.mediarelay.cascade;

import dev.parley.media.srtp.SrtpPacket;
import dev.parley.media.srtp.SrtpTransformer;
import dev.parley.mediarelay.placement.RelayId;
import dev.parley.mediarelay.rtcp.RtcpCompound;
import dev.parley.mediarelay.rtcp.RtcpMessage;
import dev.parley.mediarelay.rtcp.SenderReport;
import dev.parley.mediarelay.rtp.PublishedTrack;
import dev.parley.mediarelay.rtp.RtpHeader;
import dev.parley.mediarelay.session.RoomId;
import dev.parley.mediarelay.session.Session;
import dev.parley.mediarelay.simulcast.LayerSwitch;
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
 * local subscribers, once over each link of its room whose other relay receives its track,
 * protected with the link's SRTP context (RFC 3711 §3.3), its opaque payload unchanged; and the
 * publishers' sender reports that go with it.
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
    private final Counter held;
    private final Counter senderReports;

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
        this.held = Counter.builder("parley.media.cascade.link.held.packets")
                .description("Local participants' packets not sent over a link: none of the other relay's participants receives the track")
                .register(metrics);
        this.senderReports = Counter.builder("parley.media.cascade.link.sender.reports")
                .description("Local publishers' sender reports passed on over links")
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

    /**
     * Whether this relay, {@code self}, is the one of {@code room}'s linked relays that announces
     * the room's dominant speaker: the one with the lowest id among itself and the relays it is
     * linked with. Each relay hears all of the room's audio (its own participants', and the others'
     * over the links, which always carry audio), so each detects the same speaker; one announces
     * it, so the call's stream does not get every change once per relay. When that relay's last
     * participant leaves, its links close and the next lowest takes over.
     */
    public boolean announcesSpeakers(RoomId room, RelayId self) {
        return lowest(self, inRoom(room).stream().filter(link -> link.srtp().isPresent()).map(Link::peer).toList());
    }

    /** Whether {@code self}'s id sorts before every one of {@code linked}. */
    static boolean lowest(RelayId self, List<RelayId> linked) {
        return linked.stream().noneMatch(peer -> peer.value().compareTo(self.value()) < 0);
    }

    /** Whether {@code room} has links to other relays here. */
    public boolean linked(RoomId room) {
        return byRoom.containsKey(room);
    }

    /** Every link of every room. */
    List<Link> all() {
        return byRoom.values().stream().flatMap(List::stream).toList();
    }

    /** The stand-ins of other relays' participants, in every room: their streams arrive over links. */
    public List<Session> standIns() {
        return byRoom.values().stream().flatMap(List::stream).flatMap(link -> link.standIns().stream()).toList();
    }

    /**
     * Sends an unprotected RTP packet of stream {@code layer} of {@code track}, which a local
     * participant of {@code room} published, over every link of the room whose other relay receives
     * it: through the link's {@link Link#feed} (the track's one stream over the link, continuous
     * sequence numbers and timestamps, on the track's own SSRC). {@code keyframe}: the packet starts
     * a keyframe, where the feed may switch or resume. Runs on the media thread; {@code rtp} is not changed.
     */
    public void uplink(RoomId room, PublishedTrack track, int layer, byte[] rtp, int offset, int length,
                       boolean keyframe, long nowNanos) {
        List<Link> links = byRoom.get(room);
        if (links == null) {
            return;
        }
        int sequenceNumber = RtpHeader.sequenceNumber(rtp, offset);
        long timestamp = RtpHeader.timestamp(rtp, offset);
        for (Link link : links) {
            if (link.srtp().isEmpty() || link.peerMedia().isEmpty()) {
                continue;
            }
            LayerSwitch feed = link.feed(track);
            Optional<LayerSwitch.Forward> to = feed.accept(layer, sequenceNumber, timestamp, keyframe, nowNanos);
            if (to.isEmpty()) {
                if (feed.target() == LayerSwitch.PAUSED) {
                    held.increment();
                }
                continue;
            }
            byte[] copy = Arrays.copyOfRange(rtp, offset, offset + length + TRAILER);
            RtpHeader.setStream(copy, 0, to.get().ssrc(), to.get().sequenceNumber(), to.get().timestamp());
            sendRtp(link, copy, length);
        }
    }

    /**
     * Passes a local publisher's sender report (RFC 3550 §6.4.1) for stream {@code layer} of
     * {@code track} over every link of {@code room} that forwards that stream now: in the track's
     * SSRC, its RTP timestamp moved by the offset the link's feed adds to that stream's packets
     * (else the other relay's subscribers would pair the NTP time with the wrong media time and
     * lose lip sync), without report blocks (they describe the publisher's own reception).
     */
    public void senderReport(RoomId room, PublishedTrack track, int layer, SenderReport report) {
        for (Link link : inRoom(room)) {
            if (link.srtp().isEmpty() || link.peerMedia().isEmpty()) {
                continue;
            }
            link.feed(track.ssrc()).flatMap(feed -> feed.timestampOffset(layer)).ifPresent(offset -> {
                sendRtcp(link, new SenderReport(track.ssrc().value(), report.ntpTimestamp(),
                        (report.rtpTimestamp() + offset) & 0xFFFF_FFFFL, report.packetCount(), report.octetCount(),
                        List.of()));
                senderReports.increment();
            });
        }
    }

    /** Protects the first {@code length} bytes of {@code rtp} (room for the tag after) and sends them over {@code link}. */
    boolean sendRtp(Link link, byte[] rtp, int length) {
        Optional<SrtpTransformer> srtp = link.srtp();
        Optional<InetSocketAddress> media = link.peerMedia();
        if (srtp.isEmpty() || media.isEmpty()) {
            return false;
        }
        SrtpPacket packet = new SrtpPacket(rtp, 0, length);
        if (!srtp.get().protectRtp(packet)) {
            sendFailures.increment();
            return false;
        }
        socket.send(packet.getBuffer(), packet.getOffset(), packet.getLength(), media.get());
        sent.increment();
        return true;
    }

    /** Sends {@code message} over {@code link} as a compound RTCP packet of one (RFC 3550 §6.1), with SRTCP. */
    void sendRtcp(Link link, RtcpMessage message) {
        Optional<SrtpTransformer> srtp = link.srtp();
        Optional<InetSocketAddress> media = link.peerMedia();
        if (srtp.isEmpty() || media.isEmpty()) {
            return;
        }
        byte[] compound = RtcpCompound.write(List.of(message));
        SrtpPacket packet = new SrtpPacket(compound, 0, compound.length);
        if (!srtp.get().protectRtcp(packet)) {
            sendFailures.increment();
            return;
        }
        socket.send(packet.getBuffer(), packet.getOffset(), packet.getLength(), media.get());
        sent.increment();
    }
}
