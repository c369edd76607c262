package dev.parley.mediarelay.forward;

import dev.parley.mediarelay.rtp.RtpHeader;
import dev.parley.mediarelay.session.RoomId;
import dev.parley.mediarelay.session.Session;
import dev.parley.mediarelay.session.SessionRegistry;
import dev.parley.mediarelay.srtp.SrtpPacket;
import dev.parley.mediarelay.srtp.SrtpTransformer;
import dev.parley.mediarelay.transport.DatagramSender;
import dev.parley.mediarelay.transport.DropReason;
import dev.parley.mediarelay.transport.DroppedPackets;
import dev.parley.mediarelay.transport.MediaSocket;
import jakarta.inject.Singleton;

import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.Optional;

/**
 * Forwards a publisher's RTP to every other session of its room on this relay. The packet is
 * unprotected with the publisher's SRTP context and re-protected with each subscriber's (RFC 3711
 * §3.3, §3.4); the relay reads only the fixed RTP header (RFC 3550 §5.1): the payload stays opaque,
 * as SFrame requires. Headers are not rewritten yet: subscribers see the publisher's SSRC, sequence
 * numbers and timestamps.
 *
 * <p>Runs on the media port's single receive thread, so each session's SRTP contexts are used by
 * one thread at a time.
 */
@Singleton
public class RtpForwarder {

    /** Room for the largest SRTP trailer: a 16-byte GCM tag (RFC 7714 §7), or SRTCP's 20. */
    private static final int TRAILER = 20;

    private final SessionRegistry sessions;
    private final DatagramSender sender;
    private final DroppedPackets dropped;
    private final ForwardedPackets forwarded;

    RtpForwarder(SessionRegistry sessions, MediaSocket socket, DroppedPackets dropped, ForwardedPackets forwarded) {
        this.sessions = sessions;
        this.sender = socket;
        this.dropped = dropped;
        this.forwarded = forwarded;
    }

    /**
     * Handles one SRTP or SRTCP datagram (RFC 7983 §7: first byte 128–191) from {@code from}'s
     * nominated address; {@code data} is reused by the caller once this returns.
     */
    public void onPacket(Session from, byte[] data, int length) {
        if (RtpHeader.isRtcp(data, 0, length)) {
            dropped.count(DropReason.RTCP_NOT_FORWARDED);
            return;
        }
        if (!RtpHeader.isValidRtp(data, 0, length)) {
            dropped.count(DropReason.SRTP_INVALID);
            return;
        }
        if (!from.publishes(RtpHeader.rtpSsrc(data, 0))) {
            dropped.count(DropReason.RTP_UNKNOWN_SSRC);
            return;
        }
        Optional<SrtpTransformer> publisher = from.srtp();
        SrtpPacket packet = new SrtpPacket(Arrays.copyOf(data, length), 0, length);
        if (publisher.isEmpty() || !publisher.get().unprotectRtp(packet)) {
            dropped.count(DropReason.SRTP_INVALID);
            return;
        }
        Optional<RoomId> room = from.room();
        if (room.isPresent()) {
            for (Session subscriber : sessions.inRoom(room.get())) {
                if (subscriber != from) {
                    sendTo(subscriber, packet);
                }
            }
        }
    }

    private void sendTo(Session subscriber, SrtpPacket rtp) {
        Optional<SrtpTransformer> srtp = subscriber.srtp();
        Optional<InetSocketAddress> address = subscriber.nominated();
        if (srtp.isEmpty() || address.isEmpty()) {
            return; // not connected yet: it joins the stream at its next packet
        }
        byte[] copy = Arrays.copyOfRange(rtp.getBuffer(), rtp.getOffset(), rtp.getOffset() + rtp.getLength() + TRAILER);
        SrtpPacket out = new SrtpPacket(copy, 0, rtp.getLength());
        if (srtp.get().protectRtp(out)) {
            sender.send(out.getBuffer(), out.getOffset(), out.getLength(), address.get());
            forwarded.count();
        }
    }
}
