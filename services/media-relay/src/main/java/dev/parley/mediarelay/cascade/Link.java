package dev.parley.mediarelay.cascade;

import dev.parley.events.call.ParticipantId;
import dev.parley.media.srtp.SrtpKeys;
import dev.parley.media.srtp.SrtpProfile;
import dev.parley.media.srtp.SrtpTransformer;
import dev.parley.mediarelay.placement.RelayId;
import dev.parley.mediarelay.rtp.PublishedTrack;
import dev.parley.mediarelay.rtp.Ssrc;
import dev.parley.mediarelay.session.RoomId;
import dev.parley.mediarelay.session.Session;
import dev.parley.mediarelay.session.SessionRegistry;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * This relay's side of the link with one other relay for one room: where the other relay's
 * control API and media port are, the SRTP contexts of the link (this relay writes with its own
 * {@link LinkKey}, reads with the other's: RFC 3711 §3.2.1 forbids two senders sharing a master
 * key for the same SSRC, and two keys also let both relays open the link at once and still agree),
 * and the stand-in {@link Session}s of the other relay's participants, which publish their tracks
 * in this relay's room.
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
            standIns.values().forEach(standIn -> standIn.tracks().forEach(track -> index.put(track.ssrc(), standIn)));
            bySsrc = Map.copyOf(index);
        }
    }

    /** The stand-in that publishes the media stream {@code ssrc}, if the other relay described one. */
    Optional<Session> standIn(Ssrc ssrc) {
        return Optional.ofNullable(bySsrc.get(ssrc));
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
