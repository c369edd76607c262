package dev.parley.mediarelay.dtls;

import dev.parley.media.dtls.DtlsFingerprint;
import dev.parley.media.dtls.DtlsIdentity;
import dev.parley.media.dtls.DtlsSrtpServer;
import dev.parley.media.dtls.QueuedDatagramTransport;
import dev.parley.media.srtp.SrtpKeys;
import dev.parley.mediarelay.MediaRelayConfig;
import dev.parley.mediarelay.transport.MediaSocket;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;

/** Makes each session's {@link DtlsEndpoint}, all sharing the relay's certificate and thread pool. */
@Singleton
public class DtlsEndpoints {

    /** A handshake that has not completed by then is abandoned, and its thread released. */
    private static final int HANDSHAKE_TIMEOUT_MILLIS = 30_000;

    /** Few records are in flight during a handshake; more means a flood, and the extra is dropped. */
    private static final int QUEUE_CAPACITY = 32;

    private final DtlsIdentity identity;
    private final MediaSocket socket;
    private final MediaRelayConfig config;
    private final AtomicInteger threads = new AtomicInteger();
    private final ExecutorService executor = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "dtls-" + threads.incrementAndGet());
        thread.setDaemon(true);
        return thread;
    });

    DtlsEndpoints(DtlsIdentity identity, MediaSocket socket, MediaRelayConfig config) {
        this.identity = identity;
        this.socket = socket;
        this.config = config;
    }

    /**
     * A DTLS server for one session that accepts only the certificate with the client's SDP
     * fingerprint, sends to whatever address {@code remote} supplies (nowhere until ICE has
     * nominated one), reports its SRTP keys, and tells when the client closed the association
     * ({@code close_notify}).
     */
    public DtlsEndpoint open(DtlsFingerprint clientFingerprint, Supplier<InetSocketAddress> remote,
                             Consumer<SrtpKeys> onEstablished, Runnable onPeerClosed) {
        QueuedDatagramTransport transport = new QueuedDatagramTransport(QUEUE_CAPACITY, config.maxPacketSize(),
                (buf, off, len) -> {
                    InetSocketAddress to = remote.get();
                    if (to != null) {
                        socket.send(buf, off, len, to);
                    }
                });
        return new DtlsEndpoint(new DtlsSrtpServer(identity, clientFingerprint, HANDSHAKE_TIMEOUT_MILLIS), transport,
                executor, onEstablished, onPeerClosed);
    }

    void stop(@Observes ShutdownEvent stopping) {
        executor.shutdownNow();
    }
}
