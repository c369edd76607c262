package dev.parley.bench.mediarelay;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The SFU signaling seam of the ramp: how a room of load clients joins one SFU (Parley's relay
 * through its control API, Janus through its VideoRoom plugin), and what the bench can read of the
 * SFU's process. The media the clients exchange, and how it is measured, are the same for every SFU.
 */
interface Sfu extends AutoCloseable {

    /** As the report names it: {@code parley}, {@code janus}. */
    String name();

    /** One line on where it runs, for the report. */
    String describe();

    /** The SFU's process, for CPU and RSS; {@link SfuProcess#NONE} when unknown. */
    SfuProcess process();

    /** Opens one room of {@code config.publishers()} + {@code config.subscribers()} clients and starts the publishers' sources. */
    Room openRoom(BenchConfig config, ScheduledExecutorService timer, SecureRandom random, AtomicInteger senderIds)
            throws IOException, InterruptedException, TimeoutException;

    /** Packets the SFU counts as forwarded so far, or NaN when it does not say (then the clients' count stands in). */
    double forwardedPackets() throws IOException, InterruptedException;

    /** Packets the SFU dropped so far, or NaN when it does not say. */
    double droppedPackets() throws IOException, InterruptedException;

    /**
     * How long the SFU itself held each packet, from its arrival to its last copy sent, as it
     * measures it; {@link DelayHistogram#EMPTY} when it does not (Janus).
     */
    default DelayHistogram ownDelay() throws IOException, InterruptedException {
        return DelayHistogram.EMPTY;
    }

    /** How long packets waited in the SFU's pacer, if it paces and says so; else {@link DelayHistogram#EMPTY}. */
    default DelayHistogram pacerDelay() throws IOException, InterruptedException {
        return DelayHistogram.EMPTY;
    }

    /** Heap in use, or NaN (a C process has none to report). */
    double heapUsedBytes() throws IOException, InterruptedException;

    /** Removes what the bench made on the SFU besides the clients' sessions (Janus's rooms). */
    @Override
    default void close() {
    }
}
