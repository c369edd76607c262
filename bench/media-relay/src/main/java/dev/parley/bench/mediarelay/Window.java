package dev.parley.bench.mediarelay;

import dev.parley.client.media.MediaClient;
import dev.parley.client.media.rtp.ReceiveStats;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.util.List;

/**
 * One measurement window over every client and the relay: what was sent, forwarded and received
 * in it, the relay's CPU time, and the one-way latency of every packet received in it (a packet
 * stamped with {@code System.nanoTime()} by a sender and read by a receiver of the same JVM).
 */
final class Window {

    private final List<MediaClient> clients;
    private final Relay relay;
    private final long startNanos;
    private final double startCpu;
    private final double startForwarded;
    private final double startDropped;
    private final long startSent;
    private final ReceiveStats.Totals startReceived;

    private Window(List<MediaClient> clients, Relay relay) throws IOException, InterruptedException {
        this.clients = clients;
        this.relay = relay;
        clients.forEach(c -> c.received().latencySinceLastCall()); // what came before the window is not in it
        startNanos = System.nanoTime();
        startCpu = relay.hasProcess() ? relay.cpuSeconds() : 0;
        startForwarded = relay.forwardedPackets();
        startDropped = relay.droppedPackets();
        startSent = sent(clients);
        startReceived = received(clients);
    }

    /** Starts a window now. */
    static Window open(List<MediaClient> clients, Relay relay) throws IOException, InterruptedException {
        return new Window(clients, relay);
    }

    /** Ends the window now. */
    Result close() throws IOException, InterruptedException {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        double cpu = relay.hasProcess() ? relay.cpuSeconds() - startCpu : Double.NaN;
        double forwarded = relay.forwardedPackets() - startForwarded;
        double dropped = relay.droppedPackets() - startDropped;
        long sentPackets = sent(clients) - startSent;
        ReceiveStats.Totals received = received(clients).since(startReceived);
        Histogram latency = new Histogram(3);
        clients.forEach(c -> latency.add(c.received().latencySinceLastCall()));
        return new Result(seconds, cpu, forwarded, dropped, sentPackets, received, latency);
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

    /** The window's figures; {@code relayCpuSeconds} is NaN when the relay's process is unknown. */
    record Result(double seconds, double relayCpuSeconds, double forwarded, double relayDropped, long sent,
                  ReceiveStats.Totals received, Histogram latencyNanos) {

        double lossPercent() {
            return received.expected() == 0 ? 0 : 100.0 * received.lost() / received.expected();
        }

        /** Relay cores busy on average over the window. */
        double relayCores() {
            return relayCpuSeconds / seconds;
        }
    }
}
