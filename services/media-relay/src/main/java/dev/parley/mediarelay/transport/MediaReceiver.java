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
 * Reads the media port on one thread ({@code media-receiver}) and hands each datagram, with the
 * time it was read, to the media thread ({@code media}), which passes it to the {@link PacketRouter}.
 * The reader does nothing else, so a datagram's receive time is when it reached the relay, however
 * long the media thread spends on the ones before it (docs/media-relay.md, "Bandwidth estimation").
 * Each buffer is one byte larger than the largest datagram accepted, so an oversized one shows
 * itself by filling it.
 */
@Singleton
public class MediaReceiver {

    private static final Logger LOG = Logger.getLogger(MediaReceiver.class);
    /** Datagrams read and not yet handled: about 0.1 s at 10,000 packets/s, 1.5 MB. */
    static final int HANDOFF_DATAGRAMS = 1024;

    private final MediaSocket socket;
    private final PacketRouter router;
    private final DroppedPackets dropped;
    private final ReceivedPackets received;
    private final int maxPacketSize;
    private final ReceivedDatagrams handoff;
    private volatile Thread reader;
    private volatile Thread media;

    MediaReceiver(MediaSocket socket, PacketRouter router, DroppedPackets dropped, ReceivedPackets received,
                  MediaRelayConfig config) {
        this.socket = socket;
        this.router = router;
        this.dropped = dropped;
        this.received = received;
        this.maxPacketSize = config.maxPacketSize();
        this.handoff = new ReceivedDatagrams(HANDOFF_DATAGRAMS, maxPacketSize + 1);
    }

    void start(@Observes StartupEvent started) {
        Thread handler = new Thread(this::handleLoop, "media");
        handler.setDaemon(true);
        media = handler;
        handler.start();
        Thread read = new Thread(this::readLoop, "media-receiver");
        read.setDaemon(true);
        reader = read;
        read.start();
    }

    void stop(@Observes ShutdownEvent stopping) {
        for (Thread thread : new Thread[] {reader, media}) {
            if (thread != null) {
                thread.interrupt();
            }
        }
    }

    private void readLoop() {
        while (socket.isOpen()) {
            int slot = handoff.claim();
            if (slot < 0) {
                return;
            }
            ByteBuffer buffer = handoff.buffer(slot);
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
            long now = System.nanoTime();
            received.count();
            int length = buffer.position();
            if (length > maxPacketSize) {
                dropped.count(DropReason.OVERSIZED);
                continue;
            }
            handoff.publish(slot, length, (InetSocketAddress) from, now);
        }
    }

    private void handleLoop() {
        while (true) {
            int slot = handoff.take();
            if (slot < 0) {
                return;
            }
            try {
                router.route(handoff.data(slot), handoff.length(slot), handoff.source(slot), handoff.receivedNanos(slot));
            } catch (RuntimeException e) {
                // Never let one packet stop the port; the router counts what it rejects itself.
                dropped.count(DropReason.HANDLER_ERROR);
                LOG.debugf(e, "packet from %s failed", handoff.source(slot));
            } finally {
                handoff.release(slot);
            }
        }
    }
}
