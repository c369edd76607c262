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
 * on 127.0.0.1, talking to one remote address, with a receive thread that demultiplexes STUN,
 * DTLS, RTP and RTCP by the first bytes (RFC 7983 §7) to a handler per {@link PacketKind}.
 * Datagrams of a kind without a handler, or from another address, are counted and dropped.
 */
public final class UdpPort implements AutoCloseable {

    /** Receive buffer larger than any datagram the relay sends (its limit is 1500). */
    private static final int MAX_DATAGRAM = 2048;
    /** Asked of the kernel so that bursts of video are not lost in the client's own socket. */
    private static final int SOCKET_BUFFER = 4 * 1024 * 1024;

    private final DatagramSocket socket;
    private final InetSocketAddress remote;
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
        try {
            DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            socket.setReceiveBufferSize(SOCKET_BUFFER);
            socket.setSendBufferSize(SOCKET_BUFFER);
            return new UdpPort(socket, remote, name);
        } catch (SocketException e) {
            throw new UncheckedIOException(e);
        }
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
        socket.send(new DatagramPacket(data, offset, length, remote));
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
            if (handler == null || !remote.equals(packet.getSocketAddress())) {
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
