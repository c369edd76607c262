package dev.parley.client.media.transport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A client's one UDP socket (BUNDLE and rtcp-mux: everything on one 5-tuple, RFC 8843, RFC 5761)
 * on 127.0.0.1 (or another local address, such as the host end of a veth pair to a network
 * namespace), talking to one remote address, known when the port opens or set later, with a receive thread that demultiplexes STUN,
 * DTLS, RTP and RTCP by the first bytes (RFC 7983 §7) to a handler per {@link PacketKind}.
 * Datagrams of a kind without a handler, or from another address (or before the remote address
 * is known), are counted and dropped.
 */
public final class UdpPort implements AutoCloseable {

    /** Receive buffer larger than any datagram the relay sends (its limit is 1500). */
    private static final int MAX_DATAGRAM = 2048;
    /** Asked of the kernel so that bursts of video are not lost in the client's own socket. */
    private static final int SOCKET_BUFFER = 4 * 1024 * 1024;

    private final DatagramSocket socket;
    private volatile InetSocketAddress remote;
    private final Map<PacketKind, DatagramHandler> handlers = new EnumMap<>(PacketKind.class);
    private final AtomicLong ignored = new AtomicLong();
    private final Thread receiver;

    private UdpPort(DatagramSocket socket, InetSocketAddress remote, String name) {
        this.socket = socket;
        this.remote = remote;
        this.receiver = new Thread(this::receiveLoop, name);
        receiver.setDaemon(true);
    }

    /** Binds a port on the loopback address for traffic with {@code remote}; call {@link #start} to receive. */
    public static UdpPort open(InetSocketAddress remote, String name) {
        UdpPort port = bind(InetAddress.getLoopbackAddress(), name);
        port.remote = remote;
        return port;
    }

    /**
     * Binds a port on {@code local} whose remote address is not known yet (a full ICE peer needs
     * the port in the offer); set it with {@link #connectTo} before sending.
     */
    public static UdpPort bind(InetAddress local, String name) {
        try {
            DatagramSocket socket = new DatagramSocket(new InetSocketAddress(local, 0));
            socket.setReceiveBufferSize(SOCKET_BUFFER);
            socket.setSendBufferSize(SOCKET_BUFFER);
            return new UdpPort(socket, null, name);
        } catch (SocketException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sets the one remote address this port talks to. */
    public void connectTo(InetSocketAddress remote) {
        this.remote = remote;
    }

    /** Sets the handler of one kind; before {@link #start}. */
    public UdpPort on(PacketKind kind, DatagramHandler handler) {
        handlers.put(kind, handler);
        return this;
    }

    public void start() {
        receiver.start();
    }

    public InetSocketAddress localAddress() {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    public InetSocketAddress remoteAddress() {
        return remote;
    }

    /** Sends one datagram to the remote address. */
    public void send(byte[] data, int offset, int length) throws IOException {
        InetSocketAddress peer = remote;
        if (peer == null) {
            throw new IOException("no remote address yet");
        }
        socket.send(new DatagramPacket(data, offset, length, peer));
    }

    /** Datagrams dropped: from another address, or of a kind nobody handles. */
    public long ignored() {
        return ignored.get();
    }

    /** The receive buffer the kernel actually granted (Linux caps it at {@code net.core.rmem_max}). */
    public int receiveBufferSize() {
        try {
            return socket.getReceiveBufferSize();
        } catch (SocketException e) {
            return -1;
        }
    }

    private void receiveLoop() {
        byte[] buffer = new byte[MAX_DATAGRAM];
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        while (!socket.isClosed()) {
            try {
                packet.setLength(buffer.length);
                socket.receive(packet);
            } catch (IOException e) {
                return; // closed
            }
            DatagramHandler handler = handlers.get(PacketKind.of(buffer, packet.getLength()));
            InetSocketAddress peer = remote;
            if (handler == null || peer == null || !peer.equals(packet.getSocketAddress())) {
                ignored.incrementAndGet();
                continue;
            }
            handler.handle(buffer, packet.getLength());
        }
    }

    @Override
    public void close() {
        socket.close();
    }
}
