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
     * numbered and paced by its {@link SubscriberLink}.
     */
    public boolean sendRtp(Session to, byte[] rtp, int length) {
        Optional<SubscriberLink> link = congestion.link(to);
        if (link.isPresent()) {
            return link.get().send(rtp, length, System.nanoTime());
        }
        return transmit(to, rtp, length);
    }

    private boolean transmit(Session to, byte[] rtp, int length) {
        Optional<SrtpTransformer> srtp = to.srtp();
        Optional<InetSocketAddress> address = to.nominated();
        if (srtp.isEmpty() || address.isEmpty()) {
            return false;
        }
        SrtpPacket packet = new SrtpPacket(rtp, 0, length);
        if (!srtp.get().protectRtp(packet)) {
            return false;
        }
        if (impairment.dropsSent()) {
            return true; // lost on the way, as far as the relay can tell: it did send
        }
        send(packet, address.get());
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
        send(packet, address.get());
        return true;
    }

    /** Sends now, or after the test-only delay; every caller hands over a buffer of its own. */
    private void send(SrtpPacket packet, InetSocketAddress to) {
        if (impairment.delaysSent()) {
            impairment.later(() -> socket.send(packet.getBuffer(), packet.getOffset(), packet.getLength(), to));
        } else {
            socket.send(packet.getBuffer(), packet.getOffset(), packet.getLength(), to);
        }
    }
}
