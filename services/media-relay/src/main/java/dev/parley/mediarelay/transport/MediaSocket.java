package dev.parley.mediarelay.transport;

import dev.parley.mediarelay.MediaRelayConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;

/**
 * The relay's single UDP media port. It is bound when the relay starts, so a port conflict stops
 * the relay at once instead of failing the first call, and released when it stops.
 */
@Singleton
public class MediaSocket {

    private static final Logger LOG = Logger.getLogger(MediaSocket.class);

    private final MediaRelayConfig config;
    private volatile DatagramChannel channel;

    MediaSocket(MediaRelayConfig config) {
        this.config = config;
    }

    void bind(@Observes StartupEvent started) {
        try {
            DatagramChannel bound = DatagramChannel.open();
            bound.bind(new InetSocketAddress(config.mediaBindAddress(), config.mediaPort()));
            channel = bound;
            LOG.infof("media UDP port bound at %s (region %s)", bound.getLocalAddress(), config.region());
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
}
