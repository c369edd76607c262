package dev.parley.mediarelay.transport;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.locks.LockSupport;

/**
 * The handoff between the thread that reads the media port and the media thread that handles what
 * it read: a ring of {@link #capacity()} preallocated datagram buffers, each with its length,
 * source and receive time, written by exactly one thread and read by exactly one other. Nothing is
 * allocated per datagram and no lock is taken: each side owns its own counter and only reads the
 * other's (volatile, so a slot's contents are visible once its counter is).
 *
 * <p>Why a separate reader at all: the receive time a publisher's packet is reported with
 * (transport-wide congestion control feedback) must be when it reached the relay, not when the
 * media thread got round to it after fanning out the datagrams before it; the reader does nothing
 * but read and stamp, so the relay's own processing queue does not look like network queueing to
 * the publisher's delay-based estimator (draft-ietf-rmcat-gcc-02 §5.3). When the ring is full the
 * reader waits, and datagrams wait in the socket's buffer as they did with one thread. Without
 * bandwidth estimation {@link MediaReceiver} has no reader thread and uses a ring of one slot from
 * the media thread alone.
 */
final class ReceivedDatagrams {

    /**
     * How long a waiting side sleeps at most before it looks again (a wake-up cannot be missed:
     * each side announces itself before its last look, the other looks after publishing).
     */
    private static final long PARK_NANOS = 100_000_000L;

    private final ByteBuffer[] buffers;
    private final int[] lengths;
    private final InetSocketAddress[] sources;
    private final long[] receivedNanos;
    private final int mask;
    /** Datagrams published by the reader (written only by it). */
    private volatile long published;
    /** Datagrams the media thread is done with (written only by it). */
    private volatile long released;
    private volatile Thread parkedTaker;
    private volatile Thread parkedPutter;

    /** A ring of {@code capacity} (a power of two) buffers of {@code bufferSize} bytes. */
    ReceivedDatagrams(int capacity, int bufferSize) {
        if (capacity <= 0 || Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("capacity must be a power of two: " + capacity);
        }
        buffers = new ByteBuffer[capacity];
        for (int k = 0; k < capacity; k++) {
            buffers[k] = ByteBuffer.allocate(bufferSize);
        }
        lengths = new int[capacity];
        sources = new InetSocketAddress[capacity];
        receivedNanos = new long[capacity];
        mask = capacity - 1;
    }

    int capacity() {
        return buffers.length;
    }

    /**
     * The reader: the slot to read the next datagram into, waiting while every slot is still
     * being handled; -1 when interrupted.
     */
    int claim() {
        long next = published;
        while (next - released >= buffers.length) {
            parkedPutter = Thread.currentThread();
            if (next - released >= buffers.length) {
                LockSupport.parkNanos(this, PARK_NANOS);
            }
            parkedPutter = null;
            if (Thread.currentThread().isInterrupted()) {
                return -1;
            }
        }
        return (int) (next & mask);
    }

    /** The reader: the claimed {@code slot}'s buffer, cleared to read into. */
    ByteBuffer buffer(int slot) {
        return buffers[slot].clear();
    }

    /** The media thread: the bytes of the datagram in {@code slot} (its first {@link #length(int)}). */
    byte[] data(int slot) {
        return buffers[slot].array();
    }

    /** The reader: the datagram in {@code slot} (claimed last) is ready for the media thread. */
    void publish(int slot, int length, InetSocketAddress from, long nanos) {
        lengths[slot] = length;
        sources[slot] = from;
        receivedNanos[slot] = nanos;
        published = published + 1;
        Thread taker = parkedTaker;
        if (taker != null) {
            LockSupport.unpark(taker);
        }
    }

    /** The media thread: the slot of the next datagram, waiting for one; -1 when interrupted. */
    int take() {
        long next = released;
        while (published == next) {
            parkedTaker = Thread.currentThread();
            if (published == next) {
                LockSupport.parkNanos(this, PARK_NANOS);
            }
            parkedTaker = null;
            if (Thread.currentThread().isInterrupted()) {
                return -1;
            }
        }
        return (int) (next & mask);
    }

    int length(int slot) {
        return lengths[slot];
    }

    InetSocketAddress source(int slot) {
        return sources[slot];
    }

    long receivedNanos(int slot) {
        return receivedNanos[slot];
    }

    /** The media thread: done with the datagram in {@code slot} (taken last); the reader may reuse it. */
    void release(int slot) {
        sources[slot] = null;
        released = released + 1;
        Thread putter = parkedPutter;
        if (putter != null) {
            LockSupport.unpark(putter);
        }
    }
}
