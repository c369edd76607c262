package dev.parley.bench.mediarelay;

import dev.parley.bench.common.CpuUsage;
import dev.parley.bench.common.Machine;
import dev.parley.bench.common.Report;
import dev.parley.client.media.MediaClient;
import dev.parley.client.media.negotiation.ServiceAccountToken;
import dev.parley.testing.LocalStack;
import dev.parley.testing.Keycloak;

import java.net.http.HttpClient;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The {@code ramp} phase: rooms of {@code publishers} + {@code subscribers} load clients are
 * added step by step ({@code --rooms}, cumulative: the rooms of earlier steps keep running);
 * after each step's warm-up one window is measured. It stops at the first step whose loss reaches
 * {@code --max-loss-percent} and names the largest load below it.
 */
final class RampBench {

    private final BenchConfig config;
    private final Relay relay;
    private final Report report;

    RampBench(BenchConfig config, Relay relay, Report report) {
        this.config = config;
        this.relay = relay;
        this.report = report;
    }

    void run() throws Exception {
        report.section(String.format("ramp: rooms of %d publishers (Opus + VP8 %d kbit/s, %d fps, key frame every %d s) "
                        + "and %d subscribers; %d s warm-up, %d s measured per step; API: %s", config.publishers(),
                config.video().bitsPerSecond() / 1000, config.video().fps(), config.video().keyFrameSeconds(),
                config.subscribers(), config.warmupSeconds(), config.measureSeconds(), config.api()));
        HttpClient http = HttpClient.newHttpClient();
        ServiceAccountToken token = new ServiceAccountToken(http, LocalStack.issuer(), Keycloak.SERVICES_CLIENT,
                "parley-services-secret");
        ScheduledExecutorService timer = Executors.newScheduledThreadPool(config.timerThreads());
        SecureRandom random = new SecureRandom();
        AtomicInteger senderIds = new AtomicInteger();
        List<Room> rooms = new ArrayList<>();
        String best = "none: the first step already lost " + config.maxLossPercent() + "% or more";
        try {
            for (int step : config.roomSteps()) {
                while (rooms.size() < step) {
                    rooms.add(Room.open(config, relay, token, http, timer, random, senderIds));
                }
                TimeUnit.SECONDS.sleep(config.warmupSeconds()); // a fixed warm-up: nothing to await
                List<MediaClient> clients = rooms.stream().flatMap(r -> r.clients().stream()).toList();
                CpuUsage cpuBefore = CpuUsage.now();
                Window window = Window.open(clients, relay);
                TimeUnit.SECONDS.sleep(config.measureSeconds()); // the measurement window itself
                Window.Result result = window.close();
                String summary = reportStep(step, clients, result);
                report.line("  %s", CpuUsage.now().since(cpuBefore, relay.hasProcess() ? Set.of(relay.pid()) : Set.of()));
                if (result.lossPercent() >= config.maxLossPercent()) {
                    report.line("  loss reached %.2f%%: the ramp stops here", result.lossPercent());
                    break;
                }
                best = summary;
            }
        } finally {
            rooms.forEach(Room::close);
            timer.shutdownNow();
        }
        report.section("largest load with loss under " + config.maxLossPercent() + "%");
        report.line("%s", best);
        report.line("(load average at the end: %s; every process on this machine counts)", Machine.loadAverage());
    }

    /** Prints one step's figures; returns its one-line summary. */
    private String reportStep(int rooms, List<MediaClient> clients, Window.Result r) throws Exception {
        int streams = rooms * config.streamsPerRoom();
        double forwardedPerSecond = r.forwarded() / r.seconds();
        report.line("step: %d rooms, %d clients, %d forwarded streams (%d audio, %d video), %.1f s measured",
                rooms, clients.size(), streams, streams / 2, streams / 2, r.seconds());
        String cpu = relay.hasProcess()
                ? String.format("relay CPU %.2f cores -> %.0f streams and %,.0f packets/s per core", r.relayCores(),
                        streams / r.relayCores(), forwardedPerSecond / r.relayCores())
                : "relay CPU unknown (no --relay-pid)";
        report.line("  forwarded %,.0f packets/s (%,.0f Mbit/s received by clients); sent %,.0f packets/s; %s",
                forwardedPerSecond, r.received().bytes() * 8 / r.seconds() / 1e6, r.sent() / r.seconds(), cpu);
        report.line("  loss %.3f%% (%,d of %,d expected); relay drops %,.0f; one-way latency p50 %.2f ms, p99 %.2f ms, max %.2f ms",
                r.lossPercent(), r.received().lost(), r.received().expected(), r.relayDropped(),
                r.latencyNanos().getValueAtPercentile(50) / 1e6, r.latencyNanos().getValueAtPercentile(99) / 1e6,
                r.latencyNanos().getMaxValue() / 1e6);
        long unprotectFailures = clients.stream().mapToLong(c -> c.received().unprotectFailures()).sum();
        long sendFailures = clients.stream().mapToLong(MediaClient::sendFailures).sum();
        boolean consent = clients.stream().allMatch(MediaClient::consentFresh);
        String memory = relay.hasProcess() ? "RSS " + Report.mib(relay.rssBytes()) + ", " : "";
        report.line("  relay %sheap used %s; clients: SRTP failures %d, send failures %d, ICE consent %s",
                memory, Report.mib(relay.heapUsedBytes()), unprotectFailures, sendFailures, consent ? "fresh" : "LOST by some");
        return String.format("%d rooms of %d+%d: %d forwarded streams, %,.0f packets/s, loss %.3f%%, latency p50 %.2f ms p99 %.2f ms%s",
                rooms, config.publishers(), config.subscribers(), streams, forwardedPerSecond, r.lossPercent(),
                r.latencyNanos().getValueAtPercentile(50) / 1e6, r.latencyNanos().getValueAtPercentile(99) / 1e6,
                relay.hasProcess() ? String.format(", relay %.2f cores", r.relayCores()) : "");
    }
}
