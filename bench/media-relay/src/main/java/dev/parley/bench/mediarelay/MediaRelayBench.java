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
import dev.parley.testing.LocalStack;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The media relay benchmark ({@code make bench-media-relay}): starts one relay from the packaged
 * jar against the local stack, its media port on 127.0.0.1 only (or uses a running relay given by
 * {@code --relay-url}), ramps rooms of parley-client load clients that speak ICE, DTLS and SRTP
 * to it, stops the relay, prints the figures and writes them to
 * {@code bench/results/media-relay-<date>.txt}.
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
        report.line("stack: Kafka %s, Redis %s, Keycloak %s; every load client (parley-client MediaClient: one UDP "
                        + "port and receive thread each, sources on %d timer threads) is in the bench's one JVM on this "
                        + "machine, all media over 127.0.0.1", LocalStack.kafkaBootstrap(), run.redisUrl(),
                LocalStack.keycloakUrl(), config.timerThreads());
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
        for (String phase : config.run().phases()) {
            phases.run(() -> {
                switch (phase.trim()) {
                    case "ramp" -> new RampBench(config, relay, report).run();
                    default -> throw new IllegalArgumentException("unknown phase " + phase);
                }
            });
        }
        if (relay.hasProcess()) {
            report.section("relay at the end");
            report.line("RSS %s, heap used %s", Report.mib(relay.rssBytes()), Report.mib(relay.heapUsedBytes()));
        }
    }
}
