package dev.parley.client.media.transport;

/** Takes the datagrams of one {@link PacketKind} that {@link UdpPort} received. */
@FunctionalInterface
public interface DatagramHandler {

    /**
     * Called on the port's receive thread. {@code datagram} is the receive buffer, reused for the
     * next datagram once this returns: copy what must outlive the call.
     */
    void handle(byte[] datagram, int length);
}
