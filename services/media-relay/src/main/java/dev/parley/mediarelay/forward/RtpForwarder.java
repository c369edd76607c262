package dev.parley.mediarelay.forward;

import dev.parley.media.srtp.SrtpPacket;
import dev.parley.media.srtp.SrtpTransformer;
import dev.parley.mediarelay.bwe.CongestionControl;
import dev.parley.mediarelay.cascade.Links;
import dev.parley.mediarelay.rtp.MediaKind;
import dev.parley.mediarelay.rtp.PublishedTrack;
import dev.parley.mediarelay.rtp.RtpHeader;
import dev.parley.mediarelay.rtp.RtpRewrite;
import dev.parley.mediarelay.rtp.Ssrc;
import dev.parley.mediarelay.sdp.HeaderExtensionSelection;
import dev.parley.mediarelay.session.RoomId;
import dev.parley.mediarelay.session.Session;
import dev.parley.mediarelay.session.SessionRegistry;
import dev.parley.mediarelay.session.Slot;
import dev.parley.mediarelay.simulcast.LayerSwitch;
import dev.parley.mediarelay.simulcast.StreamLearner;
import dev.parley.mediarelay.simulcast.Vp8Frame;
import dev.parley.mediarelay.speaker.Speakers;
import dev.parley.mediarelay.transport.DropReason;
import dev.parley.mediarelay.transport.DroppedPackets;
import jakarta.inject.Singleton;

import java.util.Optional;

/**
 * Handles a session's SRTP and SRTCP: RTCP goes to the {@link RtcpHandler}; RTP is recorded
 * (statistics and the retransmission cache, audio levels for the dominant speaker) and forwarded
 * to the other sessions of its room on this relay. The packet is
 * unprotected with the publisher's SRTP context and re-protected with each subscriber's (RFC 3711
 * §3.3, §3.4); the relay reads only the RTP header (RFC 3550 §5.1) and its extensions (RFC 8285):
 * the payload stays opaque, as SFrame requires.
 *
 * <p>A participant's session receives a track only on the {@link Slot} its last answer gave that
 * track, rewritten by the slot's {@link RtpRewrite} (payload type, extension ids, MID), and only the
 * stream the slot's {@link LayerSwitch} forwards: one simulcast stream, switched at keyframes, with
 * the slot's SSRC and continuous sequence numbers and timestamps (RFC 7667 §3.7); a track sent
 * without simulcast keeps the publisher's SSRC and, until a pause, its numbers. The SSRCs of
 * simulcast streams are learned from their RIDs ({@link StreamLearner}); over links to other relays
 * a simulcast track goes as its best stream, on the track's own SSRC. A retransmission (RTX) the
 * publisher sends is passed on only as the original packet it recovers, when it fills a gap the
 * relay asked for ({@link LossRecovery}); the relay answers subscribers' NACKs itself. Sessions
 * without a participant receive every packet unchanged.
 *
 * <p>Runs on the media port's single receive thread, so each session's SRTP contexts are used by
 * one thread at a time.
 */
@Singleton
public class RtpForwarder {

    /** Room for the largest SRTP trailer: a 16-byte GCM tag (RFC 7714 §7), or SRTCP's 20. */
    private static final int TRAILER = SrtpTransformer.MAX_TRAILER;
    /** A full-size datagram's copy needs no more: the buffer grows only for a larger one. */
    private static final int COPY_BYTES = 1_500 + RtpRewrite.MAX_GROWTH + TRAILER;
    /** The receive time of a packet that was not read off the media port (it came over a link). */
    private static final long NOT_READ = Long.MIN_VALUE;

    private final SessionRegistry sessions;
    private final Egress egress;
    private final RtcpHandler rtcp;
    private final LossRecovery recovery;
    private final Speakers speakers;
    private final DroppedPackets dropped;
    private final ForwardedPackets forwarded;
    private final Links links;
    private final CongestionControl congestion;
    private final ForwardingDelay delay;
    private byte[] copy = new byte[COPY_BYTES];

    RtpForwarder(SessionRegistry sessions, Egress egress, RtcpHandler rtcp, LossRecovery recovery, Speakers speakers,
                 DroppedPackets dropped, ForwardedPackets forwarded, Links links,
                 CongestionControl congestion, ForwardingDelay delay) {
        this.congestion = congestion;
        this.delay = delay;
        this.links = links;
        this.sessions = sessions;
        this.egress = egress;
        this.rtcp = rtcp;
        this.recovery = recovery;
        this.speakers = speakers;
        this.dropped = dropped;
        this.forwarded = forwarded;
    }

    /**
     * Handles one SRTP or SRTCP datagram (RFC 7983 §7: first byte 128–191) from {@code from}'s
     * nominated address, read from the socket at {@code receivedNanos} (the arrival time reported
     * to the publisher for transport-wide congestion control); {@code data} is reused by the caller
     * once this returns.
     */
    public void onPacket(Session from, byte[] data, int length, long receivedNanos) {
        if (RtpHeader.isRtcp(data, 0, length)) {
            rtcp.onRtcp(from, data, length);
            return;
        }
        if (!RtpHeader.isValidRtp(data, 0, length)) {
            dropped.count(DropReason.SRTP_INVALID);
            return;
        }
        Ssrc ssrc = RtpHeader.rtpSsrc(data, 0);
        Optional<PublishedTrack> declared = from.track(ssrc);
        if (declared.isEmpty() && !from.sendsSimulcast()) {
            dropped.count(DropReason.RTP_UNKNOWN_SSRC);
            return;
        }
        Optional<SrtpTransformer> publisher = from.srtp();
        // Unprotected where it arrived: the receive buffer is the caller's again once this returns,
        // and everything that keeps the packet (the retransmission cache, the links) copies it.
        int rtpLength = publisher.isEmpty() ? -1 : publisher.get().unprotectRtp(data, 0, length);
        if (rtpLength < 0) {
            dropped.count(DropReason.SRTP_INVALID);
            return;
        }
        if (declared.isEmpty()) {
            declared = StreamLearner.learn(from, ssrc, data, 0, rtpLength);
            if (declared.isEmpty()) {
                dropped.count(DropReason.RTP_UNKNOWN_SSRC);
                return;
            }
        }
        int transportCc = declared.get().format()
                .map(format -> format.extensionId(HeaderExtensionSelection.TRANSPORT_WIDE_CC)).orElse(0);
        int transportSequence = RtpHeader.extensionU16(data, 0, rtpLength, transportCc);
        if (transportSequence >= 0) {
            congestion.arrived(from, transportSequence, receivedNanos);
        }
        forward(from, declared.get(), ssrc, data, 0, rtpLength, from.participant().isPresent(), receivedNanos);
    }

    /**
     * Records an unprotected RTP packet {@code from} published on its track {@code track} (SSRC
     * {@code ssrc}: the media or the RTX stream) and forwards it to the other sessions of its room
     * on this relay. {@code from} may be the stand-in of a participant on another relay, whose
     * packet came over a link.
     */
    public void forward(Session from, PublishedTrack track, Ssrc ssrc, SrtpPacket packet) {
        forward(from, track, ssrc, packet.getBuffer(), packet.getOffset(), packet.getLength(), false, NOT_READ);
    }

    /**
     * As {@link #forward(Session, PublishedTrack, Ssrc, SrtpPacket)}, for the packet in
     * {@code packet[packetOffset, packetOffset + packetLength)}; with {@code uplink} (a local
     * participant's packet) the media also goes once over each link of the room to its other relays
     * (docs/media-relay.md, "Cascading"), a retransmission as the original it recovered. A packet
     * read off the media port at {@code receivedNanos} ({@link #NOT_READ}: one that came over a
     * link, handed on by the link's receiver) counts in the {@link ForwardingDelay} once its last
     * copy has left.
     */
    private void forward(Session from, PublishedTrack track, Ssrc ssrc, byte[] packet, int packetOffset,
                         int packetLength, boolean uplink, long receivedNanos) {
        Optional<Session.LearnedStream> learned = from.learned(ssrc);
        int layer = learned.map(Session.LearnedStream::layer).orElse(0);
        boolean media = learned.map(stream -> !stream.repair()).orElse(track.ssrc().equals(ssrc) && !track.simulcast());
        Optional<byte[]> recovered = media ? Optional.empty() : from.layerSsrc(track, layer).flatMap(mediaSsrc ->
                recovery.recover(from, track, mediaSsrc, packet, packetOffset, packetLength));
        // What slot subscribers get: the media packet, or the original a retransmission recovered.
        byte[] rtp = recovered.orElse(packet);
        int offset = recovered.isPresent() ? 0 : packetOffset;
        int rtpLength = recovered.isPresent() ? rtp.length : packetLength;
        boolean keyframe = (media || recovered.isPresent()) && switchPoint(track, rtp, offset, rtpLength);
        if (media) {
            from.inbound(ssrc).ifPresent(stream -> {
                if (stream.received(rtp, offset, rtpLength, System.nanoTime())) {
                    recovery.watch(from, stream);
                }
                if (keyframe && track.simulcast()) {
                    int payload = RtpHeader.payloadOffset(rtp, offset, rtpLength);
                    stream.keyframe(Vp8Frame.keyframeSize(rtp, payload, RtpHeader.payloadEnd(rtp, offset, rtpLength)));
                }
                if (stream.audioLevelId() > 0) {
                    speakers.onAudio(from, stream.audioLevelId(), rtp, offset, rtpLength);
                }
            });
        }
        Optional<RoomId> room = from.room();
        if (room.isEmpty()) {
            return;
        }
        int sequenceNumber = RtpHeader.sequenceNumber(rtp, offset);
        long timestamp = RtpHeader.timestamp(rtp, offset);
        long now = System.nanoTime();
        if (uplink && (media || recovered.isPresent())) {
            uplink(room.get(), track, layer, rtp, offset, rtpLength, keyframe, now);
        }
        boolean sent = false;
        for (Session subscriber : sessions.inRoom(room.get())) {
            if (subscriber == from) {
                continue;
            }
            if (subscriber.receivesAll()) {
                System.arraycopy(packet, packetOffset, copy(packetLength), 0, packetLength);
                sent |= sendTo(subscriber, copy, packetLength, false);
            } else if (media || recovered.isPresent()) {
                Optional<Slot> slot = subscriber.slotFor(track.ssrc());
                if (slot.isEmpty() || slot.get().rewrite().isEmpty() || slot.get().stream().isEmpty()) {
                    continue;
                }
                Optional<LayerSwitch.Forward> forward = slot.get().stream().get()
                        .accept(layer, sequenceNumber, timestamp, keyframe, now);
                if (forward.isEmpty()) {
                    continue; // another stream of the track, or a paused one
                }
                int rewritten = slot.get().rewrite().get().apply(rtp, offset, rtpLength, copy(rtpLength));
                if (rewritten == RtpRewrite.NOT_FORWARDABLE) {
                    dropped.count(DropReason.NOT_FORWARDABLE);
                    continue;
                }
                LayerSwitch.Forward to = forward.get();
                RtpHeader.setStream(copy, 0, to.ssrc(), to.sequenceNumber(), to.timestamp());
                sent |= sendTo(subscriber, copy, rewritten, track.kind() == MediaKind.AUDIO);
            }
        }
        if (sent && receivedNanos != NOT_READ) {
            delay.record(receivedNanos, System.nanoTime());
        }
    }

    /**
     * The buffer every copy is written to, with room for {@code length} bytes, a rewrite's growth
     * and the SRTP trailer: one per forwarder, since only the media thread forwards, and each copy
     * is protected and sent before the next is written.
     */
    private byte[] copy(int length) {
        int needed = length + RtpRewrite.MAX_GROWTH + TRAILER;
        if (copy.length < needed) {
            copy = new byte[needed];
        }
        return copy;
    }

    /**
     * Sends a local participant's media over the room's links whose other relays' participants
     * receive the track ({@link Links#uplink}): one stream of it per link (for a simulcast track
     * the best one they need), on the track's own SSRC, which the other relays know the track by.
     */
    private void uplink(RoomId room, PublishedTrack track, int layer, byte[] rtp, int offset, int length,
                        boolean keyframe, long now) {
        links.uplink(room, track, layer, rtp, offset, length, keyframe, now);
    }

    /**
     * Whether a subscriber's section may switch to this stream at this packet: the first packet of
     * a VP8 keyframe (RFC 7741 §4.3); for other codecs, whose payload the relay does not read, any
     * packet (the subscriber's decoder asks for a keyframe itself).
     */
    private static boolean switchPoint(PublishedTrack track, byte[] rtp, int offset, int length) {
        if (track.kind() != MediaKind.VIDEO) {
            return true;
        }
        boolean vp8 = track.format().flatMap(format -> format.codec(RtpHeader.payloadType(rtp, offset)))
                .map(codec -> codec.is("VP8")).orElse(false);
        if (!vp8) {
            return !track.simulcast();
        }
        return Vp8Frame.isKeyframeStart(rtp, RtpHeader.payloadOffset(rtp, offset, length),
                RtpHeader.payloadEnd(rtp, offset, length));
    }

    /**
     * Protects {@code rtp} (its first {@code length} bytes; room for the tag after) for one
     * subscriber and sends it, {@code audio} ahead of the video its pacer holds; the buffer is free
     * again once this returns. Whether it went out or was queued.
     */
    private boolean sendTo(Session subscriber, byte[] rtp, int length, boolean audio) {
        if (egress.sendRtp(subscriber, rtp, length, audio)) {
            forwarded.count();
            return true;
        }
        return false;
    }
}
