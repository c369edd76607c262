package dev.parley.mediarelay.cascade;

import dev.parley.events.call.ParticipantId;
import dev.parley.media.srtp.SrtpKeys;
import dev.parley.media.srtp.SrtpProfile;
import dev.parley.media.srtp.SrtpTransformer;
import dev.parley.mediarelay.placement.RelayId;
import dev.parley.mediarelay.rtp.MediaKind;
import dev.parley.mediarelay.rtp.PublishedTrack;
import dev.parley.mediarelay.rtp.Ssrc;
import dev.parley.mediarelay.session.RenderedSize;
import dev.parley.mediarelay.session.RoomId;
import dev.parley.mediarelay.session.Session;
import dev.parley.mediarelay.session.SessionRegistry;
import dev.parley.mediarelay.simulcast.LayerSwitch;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * This relay's side of the link with one other relay for one room: where the other relay's
 * control API and media port are, the SRTP contexts of the link (this relay writes with its own
 * {@link LinkKey}, reads with the other's: RFC 3711 §3.2.1 forbids two senders sharing a master
 * key for the same SSRC, and two keys also let both relays open the link at once and still agree),
 * and the stand-in {@link Session}s of the other relay's participants, which publish their tracks
 * in this relay's room.
 *
 * <p>Towards the other relay the link is a subscriber of this relay's participants' tracks: one
 * {@link LayerSwitch} per track ({@link #feed}) forwards the track's best stream, or nothing while
 * none of the other relay's participants receives it ({@link #receiving}); its sequence numbers and
 * timestamps go on without a gap across pauses and simulcast switches (RFC 7667 §3.7), and NACKs
 * and sender reports are mapped through it.
 */
final class Link {

    private final RoomId room;
    private final RelayId peer;
    private final LinkKey ownKey;
    private volatile URI peerControl;
    private volatile InetSocketAddress peerMedia;
    private volatile LinkKey peerKey;
    private volatile SrtpTransformer srtp;
    /** The stand-ins by participant; guarded by this. */
    private final Map<ParticipantId, Session> standIns = new HashMap<>();
    private volatile Map<Ssrc, Session> bySsrc = Map.of();
    /** What this relay last told the other about its own tracks; guarded by this. */
    private List<LinkTrack> told;
    /** What each of this relay's tracks sends over the link, by the track's media SSRC. */
    private final Map<Ssrc, LayerSwitch> feeds = new ConcurrentHashMap<>();
    /** What the other relay's participants receive of this relay's tracks; null until it said. */
    private volatile Map<Ssrc, Optional<RenderedSize>> receiving;
    /** What this relay last told the other its own participants receive; guarded by this. */
    private Map<Ssrc, Optional<RenderedSize>> toldReceiving;
    /** Sequence numbers of the retransmissions sent over the link, per RTX SSRC (RFC 4588 §4). */
    private final Map<Ssrc, AtomicInteger> rtxSequences = new ConcurrentHashMap<>();
    /**
     * Held while this relay tells the other about its tracks, so tellings arrive in order; never
     * the link's own monitor, which the other relay's requests need meanwhile.
     */
    final Object telling = new Object();

    Link(RoomId room, RelayId peer, LinkKey ownKey) {
        this.room = room;
        this.peer = peer;
        this.ownKey = ownKey;
    }

    RoomId room() {
        return room;
    }

    RelayId peer() {
        return peer;
    }

    LinkKey ownKey() {
        return ownKey;
    }

    URI peerControl() {
        return peerControl;
    }

    /** The other relay's media port, once the link is keyed. */
    Optional<InetSocketAddress> peerMedia() {
        return Optional.ofNullable(peerMedia);
    }

    /** The link's SRTP contexts, once the link is keyed. */
    Optional<SrtpTransformer> srtp() {
        return Optional.ofNullable(srtp);
    }

    /**
     * Records where the other relay is and the key it writes with. A new key or media port (the
     * other relay restarted, or reopened the link) means new SRTP contexts and new stand-ins.
     */
    synchronized void keyed(URI control, InetSocketAddress media, LinkKey key, SessionRegistry sessions) {
        peerControl = control;
        if (key.equals(peerKey) && media.equals(peerMedia)) {
            return;
        }
        standIns.values().forEach(sessions::closeLinked);
        standIns.clear();
        bySsrc = Map.of();
        feeds.clear(); // a new SRTP context: the other relay starts over
        receiving = null;
        toldReceiving = null;
        peerKey = key;
        peerMedia = media;
        srtp = SrtpTransformer.forDtlsClient(SrtpKeys.fromKeyingMaterial(SrtpProfile.AEAD_AES_128_GCM,
                ByteBuffer.allocate(SrtpProfile.AEAD_AES_128_GCM.keyingMaterialLength())
                        .put(ownKey.keyBytes()).put(key.keyBytes())
                        .put(ownKey.saltBytes()).put(key.saltBytes()).array()));
    }

    /**
     * Makes the stand-ins publish exactly {@code tracks} (all the other relay's participants'):
     * participants gone are forgotten, new ones get a stand-in. Throws
     * {@link SessionRegistry.SsrcConflictException} when a track's SSRC is published here already;
     * the stand-ins handled before it keep their new tracks.
     */
    synchronized void publish(Map<ParticipantId, List<PublishedTrack>> tracks, SessionRegistry sessions) {
        SrtpTransformer transformer = Objects.requireNonNull(srtp, "the link is not keyed");
        try {
            for (Map.Entry<ParticipantId, Session> entry : Map.copyOf(standIns).entrySet()) {
                if (!tracks.containsKey(entry.getKey())) {
                    sessions.closeLinked(entry.getValue());
                    standIns.remove(entry.getKey());
                }
            }
            for (Map.Entry<ParticipantId, List<PublishedTrack>> entry : tracks.entrySet()) {
                Session standIn = standIns.get(entry.getKey());
                if (standIn == null) {
                    standIns.put(entry.getKey(), sessions.openLinked(room, entry.getKey(), entry.getValue(), transformer,
                            peerMedia));
                } else if (!standIn.tracks().equals(entry.getValue())) {
                    sessions.republishLinked(standIn, entry.getValue());
                }
            }
        } finally {
            Map<Ssrc, Session> index = new HashMap<>();
            // Media and RTX SSRCs: the other relay answers this relay's NACKs on the RTX stream.
            standIns.values().forEach(standIn -> standIn.tracks()
                    .forEach(track -> track.ssrcs().forEach(ssrc -> index.put(ssrc, standIn))));
            bySsrc = Map.copyOf(index);
        }
    }

    /** The stand-in that publishes the stream {@code ssrc} (media or RTX), if the other relay described one. */
    Optional<Session> standIn(Ssrc ssrc) {
        return Optional.ofNullable(bySsrc.get(ssrc));
    }

    /** The stand-ins of the other relay's participants. */
    synchronized List<Session> standIns() {
        return List.copyOf(standIns.values());
    }

    /**
     * What this relay's {@code track} sends over the link: made on its first packet, forwarding its
     * best stream, or paused when the other relay said that none of its participants receives it.
     */
    LayerSwitch feed(PublishedTrack track) {
        return feeds.computeIfAbsent(track.ssrc(), ssrc -> new LayerSwitch(ssrc.value(), LinkFeeds.clockRate(track),
                receives(track) ? track.layers() - 1 : LayerSwitch.PAUSED, track.simulcast()));
    }

    /** The feed of the track whose media SSRC is {@code ssrc}, if it sent over the link yet. */
    Optional<LayerSwitch> feed(Ssrc ssrc) {
        return Optional.ofNullable(feeds.get(ssrc));
    }

    /** Forgets the feeds of tracks no longer published here. */
    void keepFeeds(Set<Ssrc> published) {
        feeds.keySet().retainAll(published);
    }

    /**
     * Whether this relay's {@code track} goes to the other relay: audio always (it is cheap, and
     * the room's one dominant-speaker detector must hear every participant, {@link Links#announcesSpeakers});
     * video when the other relay's participants receive it, or while it has not said what they
     * receive (a relay that says nothing gets everything).
     */
    boolean receives(PublishedTrack track) {
        Map<Ssrc, Optional<RenderedSize>> said = receiving;
        return track.kind() == MediaKind.AUDIO || said == null || said.containsKey(track.ssrc());
    }

    /** The largest size the other relay's participants render track {@code ssrc} at; empty when unknown. */
    Optional<RenderedSize> renderedSize(Ssrc ssrc) {
        Map<Ssrc, Optional<RenderedSize>> said = receiving;
        return said == null ? Optional.empty() : said.getOrDefault(ssrc, Optional.empty());
    }

    /** Records what the other relay's participants receive now ({@code PUT .../receiving}). */
    void receiving(Map<Ssrc, Optional<RenderedSize>> tracks) {
        receiving = Map.copyOf(tracks);
    }

    /**
     * Whether {@code tracks} differ from what this relay last told the other its participants
     * receive; if so they are now what it told (the caller sends them).
     */
    synchronized boolean tellReceiving(Map<Ssrc, Optional<RenderedSize>> tracks) {
        if (tracks.equals(toldReceiving)) {
            return false;
        }
        toldReceiving = tracks;
        return true;
    }

    /** Forgets what this relay told the other its participants receive (the push failed): sent again. */
    synchronized void untoldReceiving() {
        toldReceiving = null;
    }

    /** The next sequence number of this relay's retransmissions over the link on {@code rtxSsrc}; random start (RFC 3550 §5.1). */
    int nextRtxSequence(Ssrc rtxSsrc) {
        return rtxSequences.computeIfAbsent(rtxSsrc, ssrc -> new AtomicInteger(new SecureRandom().nextInt(1 << 15)))
                .getAndIncrement() & 0xFFFF;
    }

    /** Whether {@code session} is one of this link's stand-ins. */
    synchronized boolean holds(Session session) {
        return standIns.containsValue(session);
    }

    /** Forgets every stand-in: the link is closing. */
    synchronized void close(SessionRegistry sessions) {
        standIns.values().forEach(sessions::closeLinked);
        standIns.clear();
        bySsrc = Map.of();
    }

    /**
     * Whether {@code tracks} differ from what this relay last told the other; if so they are now
     * what it told (the caller sends them).
     */
    synchronized boolean tell(List<LinkTrack> tracks) {
        if (tracks.equals(told)) {
            return false;
        }
        told = tracks;
        return true;
    }

    /** Forgets what this relay told the other, so the next {@link #tell} sends again (a push failed). */
    synchronized void untold() {
        told = null;
    }
}
