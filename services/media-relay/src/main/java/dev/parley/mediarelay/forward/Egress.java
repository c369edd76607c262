package dev.parley.mediarelay.forward;

import dev.parley.media.srtp.SrtpPacket;
import dev.parley.media.srtp.SrtpTransformer;
import dev.parley.mediarelay.bwe.CongestionControl;
import dev.parley.mediarelay.bwe.SubscriberLink;
import dev.parley.mediarelay.rtcp.RtcpCompound;
import dev.parley.mediarelay.rtcp.RtcpMessage;
import dev.parley.mediarelay.session.Session;
import dev.parley.mediarelay.transport.DatagramSender;
import dev.parley.mediarelay.transport.Impairment;
import dev.parley.mediarelay.transport.MediaSocket;
import jakarta.inject.Singleton;

import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Everything the relay sends to a participant goes out here: protected with the session's SRTP
 * or SRTCP context (RFC 3711 §3.3, §3.4) and sent to the address ICE nominated. A session not
 * connected yet gets nothing: it joins the stream at the next packet.
 */
@Singleton
public class Egress {

    private final DatagramSender socket;
    private final Impairment impairment;
    private final CongestionControl congestion;

    Egress(MediaSocket socket, Impairment impairment, CongestionControl congestion) {
        this.socket = socket;
        this.impairment = impairment;
        this.congestion = congestion;
        congestion.sendWith(this::transmit, (to, report) -> sendRtcp(to, List.of(report)));
    }

    /**
     * Sends the first {@code length} bytes of {@code rtp}, protected; whether it went out or was
     * queued by the pacer. To a session with transport-wide congestion control the packet is
     * numbered and paced by its {@link SubscriberLink}. {@code rtp} is the caller's again once this
     * returns (the forwarder writes every copy into one buffer): it is numbered and protected in
     * place when it leaves at once (room for the SRTP trailer after {@code length} saves a copy),
     * and what waits for the pacer or the test-only send delay is copied.
     */
    public boolean sendRtp(Session to, byte[] rtp, int length) {
        return sendRtp(to, rtp, length, false);
    }

    /**
     * As {@link #sendRtp(Session, byte[], int)}; {@code first} (audio, a retransmission) leaves
     * before the video the pacer holds ({@link SubscriberLink}).
     */
    public boolean sendRtp(Session to, byte[] rtp, int length, boolean first) {
        Optional<SubscriberLink> link = congestion.link(to);
        if (link.isPresent()) {
            return link.get().send(rtp, length, System.nanoTime(), first);
        }
        return transmit(to, rtp, length);
    }

    /**
     * Sends a retransmission answering {@code to}'s NACK, as {@link #sendRtp(Session, byte[], int, boolean)},
     * within the subscriber's retransmission budget when it has a {@link SubscriberLink}; false
     * when the budget (or anything else) kept it from going out.
     */
    public boolean resendRtp(Session to, byte[] rtp, int length, boolean first) {
        Optional<SubscriberLink> link = congestion.link(to);
        if (link.isPresent()) {
            return link.get().resend(rtp, length, System.nanoTime(), first);
        }
        return transmit(to, rtp, length);
    }

    /** Protects in place (after making room for the tag, if {@code rtp} lacks it) and sends. */
    private boolean transmit(Session to, byte[] rtp, int length) {
        Optional<SrtpTransformer> srtp = to.srtp();
        Optional<InetSocketAddress> address = to.nominated();
        if (srtp.isEmpty() || address.isEmpty()) {
            return false;
        }
        byte[] packet = rtp.length < length + SrtpTransformer.MAX_TRAILER
                ? Arrays.copyOf(rtp, length + SrtpTransformer.MAX_TRAILER) : rtp;
        int protectedLength = srtp.get().protectRtp(packet, 0, length);
        if (protectedLength < 0) {
            return false;
        }
        if (impairment.dropsSent()) {
            return true; // lost on the way, as far as the relay can tell: it did send
        }
        send(packet, protectedLength, address.get());
        return true;
    }

    /** Sends {@code messages} as one compound RTCP packet (RFC 3550 §6.1), protected with SRTCP. */
    public boolean sendRtcp(Session to, List<? extends RtcpMessage> messages) {
        Optional<SrtpTransformer> srtp = to.srtp();
        Optional<InetSocketAddress> address = to.nominated();
        if (srtp.isEmpty() || address.isEmpty()) {
            return false;
        }
        byte[] compound = RtcpCompound.write(messages);
        SrtpPacket packet = new SrtpPacket(compound, 0, compound.length);
        if (!srtp.get().protectRtcp(packet)) {
            return false;
        }
        if (impairment.dropsSent()) {
            return true;
        }
        send(packet.getBuffer(), packet.getLength(), address.get());
        return true;
    }

    /**
     * Sends the first {@code length} bytes of {@code data} now, or a copy after the test-only
     * delay; {@code data} is the caller's again once this returns.
     */
    private void send(byte[] data, int length, InetSocketAddress to) {
        if (impairment.delaysSent()) {
            byte[] later = Arrays.copyOf(data, length);
            impairment.later(() -> socket.send(later, 0, length, to));
        } else {
            socket.send(data, 0, length, to);
        }
    }
}
