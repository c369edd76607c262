package dev.parley.mediarelay.forward;

import dev.parley.media.srtp.SrtpPacket;
import dev.parley.media.srtp.SrtpTransformer;
import dev.parley.mediarelay.cascade.Links;
import dev.parley.mediarelay.rtp.PublishedTrack;
import dev.parley.mediarelay.rtp.RtpHeader;
import dev.parley.mediarelay.rtp.RtpRewrite;
import dev.parley.mediarelay.rtp.Ssrc;
import dev.parley.mediarelay.session.RoomId;
import dev.parley.mediarelay.session.Session;
import dev.parley.mediarelay.session.SessionRegistry;
import dev.parley.mediarelay.session.Slot;
import dev.parley.mediarelay.speaker.Speakers;
import dev.parley.mediarelay.transport.DropReason;
import dev.parley.mediarelay.transport.DroppedPackets;
import jakarta.inject.Singleton;

import java.util.Arrays;
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
 * track, rewritten by the slot's {@link RtpRewrite} (payload type, extension ids, MID); SSRC,
 * sequence numbers and timestamps stay the publisher's. A retransmission (RTX) the publisher sends
 * is passed on only as the original packet it recovers, when it fills a gap the relay asked for
 * ({@link LossRecovery}); the relay answers subscribers' NACKs itself. Sessions without a
 * participant receive every packet unchanged.
 *
 * <p>Runs on the media port's single receive thread, so each session's SRTP contexts are used by
 * one thread at a time.
 */
@Singleton
public class RtpForwarder {

    /** Room for the largest SRTP trailer: a 16-byte GCM tag (RFC 7714 §7), or SRTCP's 20. */
    private static final int TRAILER = 20;

    private final SessionRegistry sessions;
    private final Egress egress;
    private final RtcpHandler rtcp;
    private final LossRecovery recovery;
    private final Speakers speakers;
    private final DroppedPackets dropped;
    private final ForwardedPackets forwarded;
    private final Links links;

    RtpForwarder(SessionRegistry sessions, Egress egress, RtcpHandler rtcp, LossRecovery recovery, Speakers speakers,
                 DroppedPackets dropped, ForwardedPackets forwarded, Links links) {
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
     * nominated address; {@code data} is reused by the caller once this returns.
     */
    public void onPacket(Session from, byte[] data, int length) {
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
        if (declared.isEmpty()) {
            dropped.count(DropReason.RTP_UNKNOWN_SSRC);
            return;
        }
        Optional<SrtpTransformer> publisher = from.srtp();
        SrtpPacket packet = new SrtpPacket(Arrays.copyOf(data, length), 0, length);
        if (publisher.isEmpty() || !publisher.get().unprotectRtp(packet)) {
            dropped.count(DropReason.SRTP_INVALID);
            return;
        }
        forward(from, declared.get(), ssrc, packet, from.participant().isPresent());
    }

    /**
     * Records an unprotected RTP packet {@code from} published on its track {@code track} (SSRC
     * {@code ssrc}: the media or the RTX stream) and forwards it to the other sessions of its room
     * on this relay. {@code from} may be the stand-in of a participant on another relay, whose
     * packet came over a link.
     */
    public void forward(Session from, PublishedTrack track, Ssrc ssrc, SrtpPacket packet) {
        forward(from, track, ssrc, packet, false);
    }

    /**
     * As {@link #forward(Session, PublishedTrack, Ssrc, SrtpPacket)}; with {@code uplink} (a local
     * participant's packet) the media also goes once over each link of the room to its other relays
     * (docs/media-relay.md, "Cascading"), a retransmission as the original it recovered.
     */
    private void forward(Session from, PublishedTrack track, Ssrc ssrc, SrtpPacket packet, boolean uplink) {
        boolean media = track.ssrc().equals(ssrc);
        Optional<byte[]> recovered = media ? Optional.empty()
                : recovery.recover(from, track, packet.getBuffer(), packet.getOffset(), packet.getLength());
        if (media) {
            from.inbound(ssrc).ifPresent(stream -> {
                stream.received(packet.getBuffer(), packet.getOffset(), packet.getLength(), System.nanoTime());
                if (stream.audioLevelId() > 0) {
                    speakers.onAudio(from, stream.audioLevelId(), packet.getBuffer(), packet.getOffset(),
                            packet.getLength());
                }
            });
        }
        Optional<RoomId> room = from.room();
        if (room.isEmpty()) {
            return;
        }
        // What slot subscribers get: the media packet, or the original a retransmission recovered.
        byte[] original = recovered.orElse(packet.getBuffer());
        int originalOffset = recovered.isPresent() ? 0 : packet.getOffset();
        int originalLength = recovered.isPresent() ? original.length : packet.getLength();
        if (uplink && (media || recovered.isPresent())) {
            links.uplink(room.get(), original, originalOffset, originalLength);
        }
        for (Session subscriber : sessions.inRoom(room.get())) {
            if (subscriber == from) {
                continue;
            }
            if (subscriber.receivesAll()) {
                sendTo(subscriber, Arrays.copyOfRange(packet.getBuffer(), packet.getOffset(),
                        packet.getOffset() + packet.getLength() + TRAILER), packet.getLength());
            } else if (media || recovered.isPresent()) {
                subscriber.slotFor(track.ssrc()).flatMap(Slot::rewrite).ifPresent(rewrite -> {
                    Optional<byte[]> rewritten = rewrite.apply(original, originalOffset, originalLength, TRAILER);
                    if (rewritten.isPresent()) {
                        sendTo(subscriber, rewritten.get(), rewritten.get().length - TRAILER);
                    } else {
                        dropped.count(DropReason.NOT_FORWARDABLE);
                    }
                });
            }
        }
    }

    /** Protects {@code rtp} (its first {@code length} bytes; room for the tag after) for one subscriber. */
    private void sendTo(Session subscriber, byte[] rtp, int length) {
        if (egress.sendRtp(subscriber, rtp, length)) {
            forwarded.count();
        }
    }
}
