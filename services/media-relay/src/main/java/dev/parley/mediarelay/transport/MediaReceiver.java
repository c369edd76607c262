package dev.parley.mediarelay.transport;

import dev.parley.mediarelay.MediaRelayConfig;
import dev.parley.mediarelay.bwe.BandwidthConfig;
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
 * Reads the media port and passes each datagram, with the time it was read, to the
 * {@link PacketRouter}. With bandwidth estimation on, one thread ({@code media-receiver}) only
 * reads and hands each datagram to the media thread ({@code media}), so a datagram's receive time
 * is when it reached the relay, however long the media thread spends on the ones before it: the
 * transport-wide feedback to publishers reports those times (docs/media-relay.md, "Bandwidth
 * estimation"). Without it nothing reads the stamps that closely, and the media thread reads the
 * port itself: no hand-off, so no wake-up of a second thread per datagram when traffic is light,
 * which the added-latency benchmark sees. Each buffer is one byte larger than the largest datagram
 * accepted, so an oversized one shows itself by filling it.
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
    private final boolean handOff;
    private volatile Thread reader;
    private volatile Thread media;

    MediaReceiver(MediaSocket socket, PacketRouter router, DroppedPackets dropped, ReceivedPackets received,
                  MediaRelayConfig config, BandwidthConfig bandwidth) {
        this.socket = socket;
        this.router = router;
        this.dropped = dropped;
        this.received = received;
        this.maxPacketSize = config.maxPacketSize();
        this.handOff = bandwidth.enabled();
        this.handoff = new ReceivedDatagrams(handOff ? HANDOFF_DATAGRAMS : 1, maxPacketSize + 1);
    }

    void start(@Observes StartupEvent started) {
        Thread handler = new Thread(handOff ? this::handleLoop : this::readAndHandleLoop, "media");
        handler.setDaemon(true);
        media = handler;
        handler.start();
        if (handOff) {
            Thread read = new Thread(this::readLoop, "media-receiver");
            read.setDaemon(true);
            reader = read;
            read.start();
        }
    }

    void stop(@Observes ShutdownEvent stopping) {
        for (Thread thread : new Thread[] {reader, media}) {
            if (thread != null) {
                thread.interrupt();
            }
        }
    }

    /** The reader of the hand-off: reads into the ring's free slots and publishes each datagram. */
    private void readLoop() {
        while (socket.isOpen()) {
            int slot = handoff.claim();
            if (slot < 0) {
                return;
            }
            if (read(slot) < 0) {
                return;
            }
        }
    }

    /** The media thread of the hand-off: routes what the reader published. */
    private void handleLoop() {
        while (true) {
            int slot = handoff.take();
            if (slot < 0) {
                return;
            }
            handle(slot);
        }
    }

    /** Without the hand-off: the media thread reads each datagram into the ring's one slot and routes it. */
    private void readAndHandleLoop() {
        while (socket.isOpen() && !Thread.currentThread().isInterrupted()) {
            int slot = handoff.claim();
            int read = slot < 0 ? -1 : read(slot);
            if (read < 0) {
                return;
            }
            if (read > 0) {
                handle(slot);
            }
        }
    }

    /**
     * Reads one datagram into {@code slot} and publishes it, stamped: 1 when published, 0 when there
     * was nothing to publish (an oversized datagram, a failed read), -1 once the socket closed.
     */
    private int read(int slot) {
        ByteBuffer buffer = handoff.buffer(slot);
        SocketAddress from;
        try {
            from = socket.receive(buffer);
        } catch (IOException e) {
            if (socket.isOpen()) {
                LOG.warnf("media port read failed: %s", e);
                return 0;
            }
            return -1;
        }
        if (from == null) {
            return -1;
        }
        long now = System.nanoTime();
        received.count();
        int length = buffer.position();
        if (length > maxPacketSize) {
            dropped.count(DropReason.OVERSIZED);
            return 0; // not published: the slot is claimed again and read into afresh
        }
        handoff.publish(slot, length, (InetSocketAddress) from, now);
        return 1;
    }

    private void handle(int slot) {
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
