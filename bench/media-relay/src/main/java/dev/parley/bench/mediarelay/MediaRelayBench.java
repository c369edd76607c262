package dev.parley.bench.mediarelay;

import dev.parley.bench.common.Bench;
import dev.parley.bench.common.BenchRun;
import dev.parley.bench.common.Header;
import dev.parley.bench.common.Phases;
import dev.parley.bench.common.Replica;
import dev.parley.bench.common.Replicas;
import dev.parley.bench.common.Report;
import dev.parley.bench.common.RunOptions;
import dev.parley.bench.common.StackEnvironment;
import dev.parley.client.media.ClientNetwork;
import dev.parley.client.media.negotiation.ServiceAccountToken;
import dev.parley.testing.Keycloak;
import dev.parley.testing.LocalStack;

import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The media relay benchmark ({@code make bench-media-relay}): starts one relay from the packaged
 * jar against the local stack, its media port on 127.0.0.1 only (or uses a running relay given by
 * {@code --relay-url}), ramps rooms of parley-client load clients that speak ICE, DTLS and SRTP
 * to it, stops the relay, prints the figures and writes them to
 * {@code bench/results/media-relay-<date>.txt}. The {@code janus} phase runs the same ramp against
 * a Janus VideoRoom ({@code --janus-url}, started by {@code bench/media-relay/vs-janus.sh}, which
 * also runs the relay in a network namespace); with both phases the figures are compared.
 */
public final class MediaRelayBench implements Bench {

    private static final String SERVICE = "media-relay";

    private final BenchConfig config;

    private MediaRelayBench(BenchConfig config) {
        this.config = config;
    }

    public static void main(String[] args) throws Exception {
        BenchConfig config = BenchConfig.parse(args);
        System.exit(BenchRun.run(SERVICE, config.run(), new MediaRelayBench(config)));
    }

    /** Media on loopback only, a fixed port, room for every session, warnings only in the log. */
    @Override
    public Map<String, String> settings() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("PARLEY_MEDIA_RELAY_MEDIA_PORT", Integer.toString(config.mediaPort()));
        settings.put("PARLEY_MEDIA_RELAY_MEDIA_BIND_ADDRESS", "127.0.0.1");
        settings.put("PARLEY_MEDIA_RELAY_CANDIDATE_ADDRESS", "127.0.0.1");
        settings.put("PARLEY_MEDIA_RELAY_MAX_SESSIONS", "100000");
        settings.put("QUARKUS_LOG_LEVEL", "WARN");
        return settings;
    }

    @Override
    public void header(Report report, Map<String, String> environment) {
        RunOptions run = config.run();
        if (config.externalRelay()) {
            report.line("relay: the running one at %s (pid %s), not started by the bench", config.relayUrl(),
                    config.relayPid() > 0 ? config.relayPid() : "unknown: no CPU or RSS figures");
        } else {
            Header.commit(report, SERVICE, run.buildRoot());
            Header.jvm(report, SERVICE, run);
            Header.environment(report, "relay environment besides the stack's addresses and random secrets:",
                    environment, Set.of(StackEnvironment.KAFKA, StackEnvironment.ISSUER, StackEnvironment.REDIS,
                            StackEnvironment.guestSecret(SERVICE)));
        }
        if (!config.janusUrl().isBlank()) {
            report.line("janus: %s (version %s), VideoRoom plugin and HTTP transport only, default settings otherwise "
                    + "(full ICE, a thread per PeerConnection); load clients reach it from %s", config.janusUrl(),
                    config.janusVersion(), config.janusClientAddress());
        }
        report.line("stack: Kafka %s, Redis %s, Keycloak %s; every load client (parley-client MediaClient: one UDP "
                        + "port and receive thread each, sources on %d timer threads) is in the bench's one JVM on this "
                        + "machine; Parley's clients on %s", LocalStack.kafkaBootstrap(), run.redisUrl(),
                LocalStack.keycloakUrl(), config.timerThreads(), config.clientAddress());
    }

    @Override
    public void measure(Replicas replicas, Report report, Phases phases) throws Exception {
        Relay relay;
        if (config.externalRelay()) {
            relay = new Relay(URI.create(config.relayUrl()), config.relayPid());
        } else {
            replicas.start();
            Replica replica = replicas.all().get(0);
            report.line("relay: pid %d, http://127.0.0.1:%d, media udp 127.0.0.1:%d, log %s", replica.pid(),
                    replica.port(), config.mediaPort(), config.run().repository().relativize(replica.log()));
            relay = new Relay(URI.create(replica.url()), replica.pid());
        }
        HttpClient http = HttpClient.newHttpClient();
        List<RampResult> results = new ArrayList<>();
        for (String phase : config.run().phases()) {
            phases.run(() -> {
                switch (phase.trim()) {
                    case "ramp" -> {
                        ServiceAccountToken token = new ServiceAccountToken(http, LocalStack.issuer(),
                                Keycloak.SERVICES_CLIENT, "parley-services-secret");
                        ClientNetwork network = new ClientNetwork(InetAddress.getByName(config.clientAddress()), false);
                        try (Sfu parley = new ParleySfu(relay, token, http, network)) {
                            new RampBench(config, parley, report).run().ifPresent(results::add);
                        }
                    }
                    case "janus" -> {
                        ClientNetwork network = new ClientNetwork(InetAddress.getByName(config.janusClientAddress()), true);
                        try (Sfu janus = new JanusSfu(URI.create(config.janusUrl()), config.janusPid(), http, network)) {
                            new RampBench(config, janus, report).run().ifPresent(results::add);
                        }
                    }
                    default -> throw new IllegalArgumentException("unknown phase " + phase);
                }
            });
        }
        if (relay.hasProcess()) {
            report.section("relay at the end");
            report.line("RSS %s, heap used %s", Report.mib(relay.process().rssBytes()), Report.mib(relay.heapUsedBytes()));
        }
        compare(report, results);
    }

    /** Parley against Janus, when both ramps ran: each at its largest step under the loss limit. */
    private void compare(Report report, List<RampResult> results) {
        Optional<RampResult> parley = results.stream().filter(r -> r.sfu().equals("parley")).findFirst();
        Optional<RampResult> janus = results.stream().filter(r -> r.sfu().equals("janus")).findFirst();
        if (parley.isEmpty() || janus.isEmpty()) {
            return;
        }
        RampResult p = parley.get();
        RampResult j = janus.get();
        report.section("Parley / Janus, each at its largest step with loss under " + config.maxLossPercent() + "%");
        report.line("%-8s %6s %8s %7s %14s %9s %9s %14s", "sfu", "rooms", "streams", "cores", "streams/core",
                "p50 ms", "p99 ms", "RSS/stream KiB");
        for (RampResult r : List.of(p, j)) {
            report.line("%-8s %6d %8d %7.2f %14.0f %9.2f %9.2f %14.1f", r.sfu(), r.rooms(), r.streams(), r.cores(),
                    r.streamsPerCore(), r.p50Millis(), r.p99Millis(), r.rssPerStreamBytes() / 1024);
        }
        report.line("ratio Parley/Janus: streams per core %.2f; p50 latency %.2f, p99 latency %.2f (below 1: Parley adds less); "
                        + "RSS per stream %.2f", p.streamsPerCore() / j.streamsPerCore(), p.p50Millis() / j.p50Millis(),
                p.p99Millis() / j.p99Millis(), p.rssPerStreamBytes() / j.rssPerStreamBytes());
        if (p.rooms() != j.rooms()) {
            report.line("(the two stopped at different steps: per-core figures compare loads of different sizes)");
        }
    }
}
