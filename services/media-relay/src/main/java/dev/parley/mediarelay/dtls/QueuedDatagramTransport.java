package dev.parley.mediarelay.dtls;

import dev.parley.mediarelay.transport.DatagramSender;
import org.bouncycastle.tls.DatagramTransport;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Bouncy Castle's view of one session's DTLS flow over the shared media port: records the
 * demultiplexer hands over wait in a small bounded queue; records DTLS sends go to the address ICE
 * nominated.
 */
final class QueuedDatagramTransport implements DatagramTransport {

    /** Few records are in flight during a handshake; more means a flood, and the extra is dropped. */
    static final int QUEUE_CAPACITY = 32;
    /** Keeps handshake flights below the path MTU WebRTC assumes (Chromium uses 1200 bytes too). */
    private static final int SEND_LIMIT = 1200;

    private final BlockingQueue<byte[]> received = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    private final DatagramSender sender;
    private final Supplier<InetSocketAddress> remote;
    private final int receiveLimit;
    private volatile boolean closed;

    QueuedDatagramTransport(DatagramSender sender, Supplier<InetSocketAddress> remote, int receiveLimit) {
        this.sender = sender;
        this.remote = remote;
        this.receiveLimit = receiveLimit;
    }

    /** Queues one received record; {@code false} if the queue is full or the transport closed. */
    boolean offer(byte[] record) {
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
            throw new IOException("the session is closed");
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
            throw new InterruptedIOException("DTLS receive interrupted");
        }
    }

    @Override
    public void send(byte[] buf, int off, int len) {
        InetSocketAddress to = remote.get();
        if (!closed && to != null) {
            sender.send(buf, off, len, to);
        }
    }

    @Override
    public void close() {
        closed = true;
        received.clear();
    }

    boolean isClosed() {
        return closed;
    }
}
