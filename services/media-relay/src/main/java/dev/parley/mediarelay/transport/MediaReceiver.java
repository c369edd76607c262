package dev.parley.mediarelay.transport;

import dev.parley.mediarelay.MediaRelayConfig;
import dev.parley.mediarelay.placement.ReceivedPackets;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;

/**
 * Reads the media port on one thread and hands each datagram to the {@link PacketRouter}. The
 * buffer is one byte larger than the largest datagram accepted, so an oversized one shows itself
 * by filling it.
 */
@Singleton
public class MediaReceiver {

    private static final Logger LOG = Logger.getLogger(MediaReceiver.class);

    private final MediaSocket socket;
    private final PacketRouter router;
    private final DroppedPackets dropped;
    private final ReceivedPackets received;
    private final int maxPacketSize;
    private volatile Thread thread;

    MediaReceiver(MediaSocket socket, PacketRouter router, DroppedPackets dropped, ReceivedPackets received,
                  MediaRelayConfig config) {
        this.socket = socket;
        this.router = router;
        this.dropped = dropped;
        this.received = received;
        this.maxPacketSize = config.maxPacketSize();
    }

    void start(@Observes StartupEvent started) {
        Thread reader = new Thread(this::readLoop, "media-receiver");
        reader.setDaemon(true);
        thread = reader;
        reader.start();
    }

    void stop(@Observes ShutdownEvent stopping) {
        Thread reader = thread;
        if (reader != null) {
            reader.interrupt();
        }
    }

    private void readLoop() {
        ByteBuffer buffer = ByteBuffer.allocate(maxPacketSize + 1);
        while (socket.isOpen()) {
            buffer.clear();
            SocketAddress from;
            try {
                from = socket.receive(buffer);
            } catch (IOException e) {
                if (socket.isOpen()) {
                    LOG.warnf("media port read failed: %s", e);
                }
                continue;
            }
            if (from == null) {
                return;
            }
            received.count();
            int length = buffer.position();
            if (length > maxPacketSize) {
                dropped.count(DropReason.OVERSIZED);
                continue;
            }
            try {
                router.route(buffer.array(), length, (InetSocketAddress) from);
            } catch (RuntimeException e) {
                // Never let one packet stop the port; the router counts what it rejects itself.
                dropped.count(DropReason.HANDLER_ERROR);
                LOG.debugf(e, "packet from %s failed", from);
            }
        }
    }
}
