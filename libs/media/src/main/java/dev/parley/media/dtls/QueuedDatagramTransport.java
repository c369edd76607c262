package dev.parley.media.dtls;

import org.bouncycastle.tls.DatagramTransport;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Bouncy Castle's view of one DTLS flow over a UDP port it shares with STUN and SRTP (RFC 7983 §7):
 * whoever demultiplexes the port {@linkplain #offer offers} the DTLS records, which wait in a small
 * bounded queue for the blocking DTLS protocol to read them; the records DTLS writes go to a
 * {@link RecordSender}. Each record is one datagram (RFC 6347 §4.1.1, RFC 9147 §4.3). Once closed,
 * it takes nothing more, sends nothing more and fails the reader.
 */
public final class QueuedDatagramTransport implements DatagramTransport {

    /**
     * Keeps handshake flights within the path MTU WebRTC assumes (RFC 6347 §4.1.1.1; Chromium uses
     * 1200 bytes too).
     */
    public static final int SEND_LIMIT = 1200;

    /** Where the records DTLS writes go. */
    @FunctionalInterface
    public interface RecordSender {
        void send(byte[] buf, int off, int len) throws IOException;
    }

    private final BlockingQueue<byte[]> received;
    private final int receiveLimit;
    private final RecordSender sender;
    private volatile boolean closed;

    /**
     * @param capacity     how many records may wait: a handshake flight is a few, and more while
     *                     nobody reads means a flood, whose excess is dropped
     * @param receiveLimit the largest record DTLS must be ready to read
     */
    public QueuedDatagramTransport(int capacity, int receiveLimit, RecordSender sender) {
        this.received = new ArrayBlockingQueue<>(capacity);
        this.receiveLimit = receiveLimit;
        this.sender = sender;
    }

    /**
     * Queues one received record, which this transport then owns; {@code false} if the queue is
     * full or the transport closed.
     */
    public boolean offer(byte[] record) {
        return !closed && received.offer(record);
    }

    @Override
    public int getReceiveLimit() {
        return receiveLimit;
    }

    @Override
    public int getSendLimit() {
        return SEND_LIMIT;
    }

    @Override
    public int receive(byte[] buf, int off, int len, int waitMillis) throws IOException {
        if (closed) {
            throw new IOException("the DTLS transport is closed");
        }
        try {
            byte[] record = received.poll(waitMillis, TimeUnit.MILLISECONDS);
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
        if (!closed) {
            sender.send(buf, off, len);
        }
    }

    /** Drops what waits; the shared port itself stays open for the other protocols. */
    @Override
    public void close() {
        closed = true;
        received.clear();
    }

    public boolean isClosed() {
        return closed;
    }
}
