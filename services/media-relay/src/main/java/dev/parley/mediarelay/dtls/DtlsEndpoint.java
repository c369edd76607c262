package dev.parley.mediarelay.dtls;

import dev.parley.media.dtls.DtlsSrtpServer;
import dev.parley.media.dtls.QueuedDatagramTransport;
import dev.parley.media.srtp.SrtpKeys;
import org.bouncycastle.tls.DTLSServerProtocol;
import org.bouncycastle.tls.DTLSTransport;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The relay's end of one session's DTLS association. Bouncy Castle's DTLS API blocks, so the first
 * record starts the handshake on a thread of its own; that thread then keeps reading the association
 * (retransmitted flights, alerts, later SCTP for data channels) until the session closes.
 *
 * <p>A client that closes its connection (a browser's {@code RTCPeerConnection.close()}) sends a
 * {@code close_notify} alert (RFC 5246 §7.2.1, which DTLS keeps, RFC 6347 §4.1): Bouncy Castle
 * answers it and closes the association's transport, and the next read fails. An established
 * association that ends without the relay closing it (close_notify, or a fatal alert either way:
 * SRTP may outlive DTLS, but a client whose association failed has given it up) runs
 * {@code onPeerClosed}, so the session can close at once instead of lingering until its ICE
 * consent lapses. A web app that moved to another relay closes its old connection this way once
 * the new one shows video (docs/media-relay.md §8a). A failed handshake stays as it was: the
 * session waits for consent to lapse, or for the client's next offer.
 */
public final class DtlsEndpoint {

    private static final Logger LOG = Logger.getLogger(DtlsEndpoint.class);

    private final DtlsSrtpServer server;
    private final QueuedDatagramTransport transport;
    private final Executor executor;
    private final Consumer<SrtpKeys> onEstablished;
    private final Runnable onPeerClosed;
    private final AtomicBoolean started = new AtomicBoolean();
    /** Set by {@link #close()}: the relay ended the association, not the client. */
    private volatile boolean closedHere;

    DtlsEndpoint(DtlsSrtpServer server, QueuedDatagramTransport transport, Executor executor,
                 Consumer<SrtpKeys> onEstablished, Runnable onPeerClosed) {
        this.server = server;
        this.transport = transport;
        this.executor = executor;
        this.onEstablished = onEstablished;
        this.onPeerClosed = onPeerClosed;
    }

    /**
     * Hands over one DTLS record from the session's nominated address; {@code false} if it was
     * dropped because the session is closed or its queue is full.
     */
    public boolean deliver(byte[] record) {
        boolean queued = transport.offer(record);
        if (queued && started.compareAndSet(false, true)) {
            executor.execute(this::run);
        }
        return queued;
    }

    public void close() {
        closedHere = true;
        transport.close();
    }

    private void run() {
        boolean established = false;
        try {
            DTLSServerProtocol protocol = new DTLSServerProtocol();
            // ICE has already proved the client's address (RFC 8445 §7.3), so skip the cookie round trip.
            protocol.setVerifyRequests(false);
            DTLSTransport dtls = protocol.accept(server, transport);
            onEstablished.accept(server.keys());
            byte[] buffer = new byte[dtls.getReceiveLimit()];
            established = true;
            while (!transport.isClosed()) {
                dtls.receive(buffer, 0, buffer.length, 1000);
            }
        } catch (IOException | RuntimeException e) {
            if (!transport.isClosed()) {
                LOG.infof("DTLS association ended: %s", e.toString());
            }
            transport.close();
        }
        if (established && !closedHere && !Thread.currentThread().isInterrupted()) {
            onPeerClosed.run();
        }
    }
}
