package dev.parley.bench.mediarelay;

import dev.parley.client.media.MediaClient;
import dev.parley.client.media.rtp.ReceiveStats;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.util.List;

/**
 * One measurement window over every client and the SFU: what was sent, forwarded and received
 * in it, the SFU's CPU time, and the one-way latency of every packet received in it (a packet
 * stamped with {@code System.nanoTime()} by a sender and read by a receiver of the same JVM).
 */
final class Window {

    private final List<MediaClient> clients;
    private final Sfu sfu;
    private final long startNanos;
    private final double startCpu;
    private final double startForwarded;
    private final double startDropped;
    private final DelayHistogram startOwnDelay;
    private final DelayHistogram startPacerDelay;
    private final long startSent;
    private final ReceiveStats.Totals startReceived;

    private Window(List<MediaClient> clients, Sfu sfu) throws IOException, InterruptedException {
        this.clients = clients;
        this.sfu = sfu;
        clients.forEach(c -> c.received().latencySinceLastCall()); // what came before the window is not in it
        startNanos = System.nanoTime();
        startCpu = sfu.process().known() ? sfu.process().cpuSeconds() : 0;
        startForwarded = sfu.forwardedPackets();
        startDropped = sfu.droppedPackets();
        startOwnDelay = sfu.ownDelay();
        startPacerDelay = sfu.pacerDelay();
        startSent = sent(clients);
        startReceived = received(clients);
    }

    /** Starts a window now. */
    static Window open(List<MediaClient> clients, Sfu sfu) throws IOException, InterruptedException {
        return new Window(clients, sfu);
    }

    /** Ends the window now. */
    Result close() throws IOException, InterruptedException {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        double cpu = sfu.process().known() ? sfu.process().cpuSeconds() - startCpu : Double.NaN;
        double forwarded = sfu.forwardedPackets() - startForwarded;
        double dropped = sfu.droppedPackets() - startDropped;
        long sentPackets = sent(clients) - startSent;
        ReceiveStats.Totals received = received(clients).since(startReceived);
        Histogram latency = new Histogram(3);
        clients.forEach(c -> latency.add(c.received().latencySinceLastCall()));
        return new Result(seconds, cpu, Double.isNaN(forwarded) ? received.received() : forwarded, dropped, sentPackets,
                received, latency, sfu.ownDelay().since(startOwnDelay), sfu.pacerDelay().since(startPacerDelay));
    }

    private static long sent(List<MediaClient> clients) {
        return clients.stream().mapToLong(MediaClient::sentPackets).sum();
    }

    private static ReceiveStats.Totals received(List<MediaClient> clients) {
        ReceiveStats.Totals sum = new ReceiveStats.Totals(0, 0, 0);
        for (MediaClient client : clients) {
            ReceiveStats.Totals t = client.received().totals();
            sum = new ReceiveStats.Totals(sum.received() + t.received(), sum.expected() + t.expected(), sum.bytes() + t.bytes());
        }
        return sum;
    }

    /**
     * The window's figures; {@code sfuCpuSeconds} is NaN when the SFU's process is unknown,
     * {@code sfuDropped} when the SFU does not count drops; {@code forwarded} is the SFU's own count,
     * or the packets the clients received when it keeps none; {@code ownDelay} and {@code pacerDelay}
     * are the SFU's own measures of how long it held packets ({@link Sfu#ownDelay()}), empty when
     * it keeps none.
     */
    record Result(double seconds, double sfuCpuSeconds, double forwarded, double sfuDropped, long sent,
                  ReceiveStats.Totals received, Histogram latencyNanos, DelayHistogram ownDelay,
                  DelayHistogram pacerDelay) {

        double lossPercent() {
            return received.expected() == 0 ? 0 : 100.0 * received.lost() / received.expected();
        }

        /** SFU cores busy on average over the window. */
        double sfuCores() {
            return sfuCpuSeconds / seconds;
        }
    }
}
