package dev.parley.client.media.transport;

import org.bouncycastle.tls.DatagramTransport;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * bctls's view of the shared port: the DTLS records the {@link UdpPort} demultiplexed (RFC 7983
 * §7) wait here for the blocking DTLS protocol to read them; what it writes goes out of the port.
 */
public final class DtlsRecords implements DatagramTransport, DatagramHandler {

    /** Handshake flights are a few records; anything beyond this while nobody reads is dropped. */
    private static final int BACKLOG = 64;
    /** A DTLS record in a datagram that stays under the path MTU of 1500 with IP and UDP headers. */
    private static final int LIMIT = 1200;

    private final UdpPort port;
    private final BlockingQueue<byte[]> queue = new ArrayBlockingQueue<>(BACKLOG);

    public DtlsRecords(UdpPort port) {
        this.port = port;
    }

    @Override
    public void handle(byte[] datagram, int length) {
        queue.offer(Arrays.copyOf(datagram, length));
    }

    @Override
    public int getReceiveLimit() {
        return LIMIT;
    }

    @Override
    public int getSendLimit() {
        return LIMIT;
    }

    @Override
    public int receive(byte[] buf, int off, int len, int waitMillis) throws IOException {
        try {
            byte[] record = queue.poll(waitMillis, TimeUnit.MILLISECONDS);
            if (record == null) {
                return -1;
            }
            int n = Math.min(len, record.length);
            System.arraycopy(record, 0, buf, off, n);
            return n;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for a DTLS record");
        }
    }

    @Override
    public void send(byte[] buf, int off, int len) throws IOException {
        port.send(buf, off, len);
    }

    /** The port stays open for media: closing the association does not close the socket. */
    @Override
    public void close() {
        queue.clear();
    }
}
