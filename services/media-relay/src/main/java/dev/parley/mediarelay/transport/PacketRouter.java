package dev.parley.mediarelay.transport;

import dev.parley.mediarelay.cascade.LinkReceiver;
import dev.parley.mediarelay.forward.RtpForwarder;
import dev.parley.mediarelay.ice.IceLite;
import dev.parley.mediarelay.session.Session;
import dev.parley.mediarelay.session.SessionRegistry;
import jakarta.inject.Singleton;

import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.Optional;

/**
 * The first step of every packet's path: classify it by its first byte (RFC 7983 §7) and pass it
 * on. STUN finds its session by ICE username; DTLS and SRTP only by the remote address ICE
 * nominated, so nothing but a peer that proved its ICE password can reach a DTLS server.
 */
@Singleton
public class PacketRouter {

    private final IceLite ice;
    private final SessionRegistry sessions;
    private final DroppedPackets dropped;
    private final RtpForwarder forwarder;
    private final Impairment impairment;
    private final LinkReceiver links;

    PacketRouter(IceLite ice, SessionRegistry sessions, DroppedPackets dropped, RtpForwarder forwarder,
                 Impairment impairment, LinkReceiver links) {
        this.links = links;
        this.ice = ice;
        this.sessions = sessions;
        this.dropped = dropped;
        this.forwarder = forwarder;
        this.impairment = impairment;
    }

    /**
     * Routes one datagram, read from the socket at {@code receivedNanos} ({@link System#nanoTime()});
     * {@code data} is reused by the caller once this returns.
     */
    public void route(byte[] data, int length, InetSocketAddress from, long receivedNanos) {
        if (length == 0) {
            dropped.count(DropReason.GARBAGE);
            return;
        }
        switch (PacketKind.of(data[0])) {
            case STUN -> ice.onStun(data, length, from);
            case DTLS -> onDtls(data, length, from);
            case RTP -> onRtp(data, length, from, receivedNanos);
            case UNKNOWN -> dropped.count(DropReason.GARBAGE);
        }
    }

    private void onDtls(byte[] data, int length, InetSocketAddress from) {
        Optional<Session> session = sessions.byAddress(from);
        if (session.isEmpty()) {
            dropped.count(DropReason.DTLS_UNKNOWN_PEER);
        } else if (!session.get().deliverDtls(Arrays.copyOf(data, length))) {
            dropped.count(DropReason.DTLS_BACKLOG);
        }
    }

    /**
     * SRTP and SRTCP go to the forwarder, from a nominated address only, or from the media port of
     * a relay linked with this one (docs/media-relay.md, "Cascading").
     */
    private void onRtp(byte[] data, int length, InetSocketAddress from, long receivedNanos) {
        if (impairment.dropsReceived()) {
            return;
        }
        Optional<Session> session = sessions.byAddress(from);
        if (session.isPresent()) {
            forwarder.onPacket(session.get(), data, length, receivedNanos);
        } else if (!links.onDatagram(data, length, from)) {
            dropped.count(DropReason.RTP_UNKNOWN_PEER);
        }
    }
}
