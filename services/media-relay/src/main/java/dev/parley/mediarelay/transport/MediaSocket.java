package dev.parley.mediarelay.transport;

import dev.parley.mediarelay.MediaRelayConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;

/**
 * The relay's single UDP media port. It is bound when the relay starts, so a port conflict stops
 * the relay at once instead of failing the first call, and released when it stops.
 */
@Singleton
public class MediaSocket implements DatagramSender {

    /** Binds before {@link MediaReceiver} starts reading at the default observer priority. */
    static final int BIND_PRIORITY = jakarta.interceptor.Interceptor.Priority.APPLICATION;

    private static final Logger LOG = Logger.getLogger(MediaSocket.class);

    /** Room for any media datagram (a full-size packet plus rewrite growth and SRTP trailer); larger ones are rare. */
    private static final int SEND_BUFFER_BYTES = 2_048;

    private final MediaRelayConfig config;
    private volatile DatagramChannel channel;
    /**
     * One direct buffer per sending thread (the media thread, the pacer, the RTCP timers): a
     * datagram sent from a heap buffer is first copied by the JDK into a temporary direct buffer
     * it looks up per call, and wrapping the array costs an object per datagram.
     */
    private final ThreadLocal<ByteBuffer> sendBuffers =
            ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(SEND_BUFFER_BYTES));

    MediaSocket(MediaRelayConfig config) {
        this.config = config;
    }

    void bind(@Observes @Priority(BIND_PRIORITY) StartupEvent started) {
        try {
            DatagramChannel bound = DatagramChannel.open();
            // One port takes every participant's media: bursts (a keyframe from each of many
            // publishers) must wait in the kernel's buffer, not be dropped there. The kernel caps
            // the size at net.core.rmem_max/wmem_max; the effective sizes are logged.
            bound.setOption(StandardSocketOptions.SO_RCVBUF, config.socketBufferBytes());
            bound.setOption(StandardSocketOptions.SO_SNDBUF, config.socketBufferBytes());
            bound.bind(new InetSocketAddress(config.mediaBindAddress(), config.mediaPort()));
            channel = bound;
            LOG.infof("media UDP port bound at %s (region %s), receive buffer %d bytes, send buffer %d bytes",
                    bound.getLocalAddress(), config.region(), bound.getOption(StandardSocketOptions.SO_RCVBUF),
                    bound.getOption(StandardSocketOptions.SO_SNDBUF));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind the media UDP port " + config.mediaBindAddress() + ":"
                    + config.mediaPort(), e);
        }
    }

    void close(@Observes ShutdownEvent stopping) throws IOException {
        DatagramChannel open = channel;
        channel = null;
        if (open != null) {
            open.close();
        }
    }

    /** The bound local address, or {@code null} while the port is not bound. */
    public InetSocketAddress localAddress() {
        DatagramChannel open = channel;
        try {
            return open == null || !open.isOpen() ? null : (InetSocketAddress) open.getLocalAddress();
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * Blocks until a datagram arrives and fills {@code into} with it; {@code null} once the port is
     * closed. A datagram larger than the buffer's room is truncated by the operating system.
     */
    SocketAddress receive(ByteBuffer into) throws IOException {
        DatagramChannel open = channel;
        return open == null ? null : open.receive(into);
    }

    boolean isOpen() {
        DatagramChannel open = channel;
        return open != null && open.isOpen();
    }

    @Override
    public void send(byte[] data, int offset, int length, InetSocketAddress to) {
        DatagramChannel open = channel;
        if (open == null) {
            return;
        }
        try {
            ByteBuffer direct = sendBuffers.get();
            open.send(length > direct.capacity() ? ByteBuffer.wrap(data, offset, length)
                    : direct.clear().put(data, offset, length).flip(), to);
        } catch (IOException e) {
            // UDP is lossy by nature: a failed send (unreachable peer, full buffer) is a lost packet.
            LOG.debugf("media send to %s failed: %s", to, e);
        }
    }
}
