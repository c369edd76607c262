package dev.parley.bench.mediarelay;

import dev.parley.bench.common.CpuUsage;
import dev.parley.bench.common.Machine;
import dev.parley.bench.common.Report;
import dev.parley.client.media.MediaClient;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The {@code ramp} phase, the same against every {@link Sfu}: rooms of {@code publishers} +
 * {@code subscribers} load clients are added step by step ({@code --rooms}, cumulative: the rooms
 * of earlier steps keep running); after each step's warm-up one window is measured. It stops at
 * the first step whose loss reaches {@code --max-loss-percent} and names the largest load below
 * it, which it also returns for the comparison of SFUs.
 */
final class RampBench {

    private final BenchConfig config;
    private final Sfu sfu;
    private final Report report;

    RampBench(BenchConfig config, Sfu sfu, Report report) {
        this.config = config;
        this.sfu = sfu;
        this.report = report;
    }

    Optional<RampResult> run() throws Exception {
        report.section(String.format("ramp on %s: rooms of %d publishers (Opus + VP8 %d kbit/s, %d fps, key frame every %d s) "
                        + "and %d subscribers; %d s warm-up, %d s measured per step%s", sfu.name(), config.publishers(),
                config.video().bitsPerSecond() / 1000, config.video().fps(), config.video().keyFrameSeconds(),
                config.subscribers(), config.warmupSeconds(), config.measureSeconds(),
                sfu instanceof ParleySfu ? "; API: " + config.api() : ""));
        report.line("%s", sfu.describe());
        ScheduledExecutorService timer = Executors.newScheduledThreadPool(config.timerThreads());
        SecureRandom random = new SecureRandom();
        AtomicInteger senderIds = new AtomicInteger();
        List<Room> rooms = new ArrayList<>();
        String best = "none: the first step already lost " + config.maxLossPercent() + "% or more";
        Optional<RampResult> bestResult = Optional.empty();
        double idleRss = sfu.process().known() ? sfu.process().rssBytes() : Double.NaN;
        report.line("%s RSS before the first room: %s", sfu.name(), sfu.process().known() ? Report.mib(idleRss) : "unknown");
        try {
            for (int step : config.roomSteps()) {
                try {
                    while (rooms.size() < step) {
                        rooms.add(sfu.openRoom(config, timer, random, senderIds));
                    }
                } catch (IOException | TimeoutException e) {
                    // a machine too busy to finish a handshake in time is a limit of the load too
                    report.line("step: %d rooms: room %d could not be opened (%s): the ramp stops here", step,
                            rooms.size() + 1, e);
                    break;
                }
                TimeUnit.SECONDS.sleep(config.warmupSeconds()); // a fixed warm-up: nothing to await
                List<MediaClient> clients = rooms.stream().flatMap(r -> r.clients().stream()).toList();
                CpuUsage cpuBefore = CpuUsage.now();
                Window window = Window.open(clients, sfu);
                TimeUnit.SECONDS.sleep(config.measureSeconds()); // the measurement window itself
                Window.Result result = window.close();
                RampResult measured = reportStep(step, clients, result, idleRss);
                report.line("  %s", CpuUsage.now().since(cpuBefore, sfu.process().known() ? Set.of(sfu.process().pid()) : Set.of()));
                if (result.lossPercent() >= config.maxLossPercent()) {
                    report.line("  loss reached %.2f%%: the ramp stops here", result.lossPercent());
                    break;
                }
                best = summary(measured, result);
                bestResult = Optional.of(measured);
            }
        } finally {
            rooms.forEach(Room::close);
            timer.shutdownNow();
        }
        report.section("largest load on " + sfu.name() + " with loss under " + config.maxLossPercent() + "%");
        report.line("%s", best);
        report.line("(load average at the end: %s; every process on this machine counts)", Machine.loadAverage());
        return bestResult;
    }

    /** Prints one step's figures; returns them. */
    private RampResult reportStep(int rooms, List<MediaClient> clients, Window.Result r, double idleRss) throws Exception {
        int streams = rooms * config.streamsPerRoom();
        double forwardedPerSecond = r.forwarded() / r.seconds();
        report.line("step: %d rooms, %d clients (PeerConnections), %d forwarded streams (%d audio, %d video), %.1f s measured",
                rooms, clients.size(), streams, streams / 2, streams / 2, r.seconds());
        String name = sfu.name();
        String cpu = sfu.process().known()
                ? String.format("%s CPU %.2f cores -> %.0f streams and %,.0f packets/s per core", name, r.sfuCores(),
                        streams / r.sfuCores(), forwardedPerSecond / r.sfuCores())
                : name + " CPU unknown (no pid)";
        report.line("  forwarded %,.0f packets/s%s (%,.0f Mbit/s received by clients); sent %,.0f packets/s; %s",
                forwardedPerSecond, Double.isNaN(sfu.forwardedPackets()) ? " (as received by the clients)" : "",
                r.received().bytes() * 8 / r.seconds() / 1e6, r.sent() / r.seconds(), cpu);
        double p50 = r.latencyNanos().getValueAtPercentile(50) / 1e6;
        double p99 = r.latencyNanos().getValueAtPercentile(99) / 1e6;
        report.line("  loss %.3f%% (%,d of %,d expected); %s drops %s; one-way latency p50 %.2f ms, p99 %.2f ms, max %.2f ms",
                r.lossPercent(), r.received().lost(), r.received().expected(), name,
                Double.isNaN(r.sfuDropped()) ? "not counted" : String.format("%,.0f", r.sfuDropped()), p50, p99,
                r.latencyNanos().getMaxValue() / 1e6);
        if (r.ownDelay().count() > 0) {
            report.line("  %s's own delay (a packet's arrival to its last copy sent or paced, measured in the relay): "
                    + "p50 %.3f ms, p99 %.3f ms over %,.0f packets; pacer: %,.0f copies waited, p99 %.3f ms", name,
                    r.ownDelay().quantileMillis(0.5), r.ownDelay().quantileMillis(0.99), r.ownDelay().count(),
                    r.pacerDelay().count(), r.pacerDelay().quantileMillis(0.99));
        }
        long unprotectFailures = clients.stream().mapToLong(c -> c.received().unprotectFailures()).sum();
        long sendFailures = clients.stream().mapToLong(MediaClient::sendFailures).sum();
        long checksAnswered = clients.stream().mapToLong(MediaClient::iceChecksAnswered).sum();
        boolean consent = clients.stream().allMatch(MediaClient::consentFresh);
        double rss = sfu.process().known() ? sfu.process().rssBytes() : Double.NaN;
        double rssPerStream = (rss - idleRss) / streams;
        String memory = sfu.process().known()
                ? String.format("RSS %s (%.1f KiB per forwarded stream since idle), ", Report.mib(rss), rssPerStream / 1024) : "";
        double heap = sfu.heapUsedBytes();
        report.line("  %s %s%s; clients: SRTP failures %d, send failures %d, ICE checks from %s answered %,d, ICE consent %s",
                name, memory, Double.isNaN(heap) ? "no heap" : "heap used " + Report.mib(heap), unprotectFailures,
                sendFailures, name, checksAnswered, consent ? "fresh" : "LOST by some");
        return new RampResult(name, rooms, streams, r.sfuCores(), p50, p99, r.lossPercent(), rssPerStream);
    }

    private String summary(RampResult m, Window.Result r) {
        return String.format("%d rooms of %d+%d: %d forwarded streams, %,.0f packets/s, loss %.3f%%, latency p50 %.2f ms p99 %.2f ms%s",
                m.rooms(), config.publishers(), config.subscribers(), m.streams(), r.forwarded() / r.seconds(), m.lossPercent(),
                m.p50Millis(), m.p99Millis(),
                sfu.process().known() ? String.format(", %s %.2f cores: %.0f streams per core", sfu.name(), m.cores(),
                        m.streamsPerCore()) : "");
    }
}
