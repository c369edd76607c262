package dev.parley.system;

import dev.parley.testing.LocalStack;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.awaitility.Awaitility.await;

/**
 * Starts, once per test run, a Kafka broker of the system tests' own and the four packaged
 * services against it and the shared Redis and Keycloak; stops them all when the run ends.
 */
final class RunningSystem implements ExtensionContext.Store.CloseableResource {

    static final List<String> SERVICES = List.of("media-relay", "signaling", "presence", "key-distribution");
    /**
     * Signaling's HTTP port, which serves the web app: fixed, because Keycloak lets the web app's
     * sign-in come back only to the addresses its client lists (dev/keycloak/parley-realm.json).
     */
    static final int SIGNALING_PORT = Integer.getInteger("parley.system.signaling.port", 18080);
    private static final int BROKER_PORT = Integer.getInteger("parley.system.kafka.port", 19092);
    /**
     * The system tests keep their Redis state in a database of their own, so they can wipe it
     * (as a Redis restart would) without touching anyone else's.
     */
    static final int REDIS_DATABASE = 5;
    /** Shared by every signaling process of the run, as by the replicas of a deployment. */
    private static final String GUEST_TOKEN_SECRET = UUID.randomUUID() + "-" + UUID.randomUUID();
    /** This run's Parley CA: 32 random bytes, as production keeps in a Secret. */
    private static final String AUTHORITY_SEED = randomSeed();
    /** How long signaling keeps a dropped participant's place in the system tests. */
    static final Duration RESUME_GRACE = Duration.ofSeconds(6);

    final KafkaBroker broker;
    final Map<String, ServiceProcess> services;
    final RedisScript redis = new RedisScript(LocalStack.redisUrl(), REDIS_DATABASE);
    /** How long the four services took from launch to every readiness probe answering UP. */
    final Duration startup;

    private final Path repository;

    private RunningSystem(Path repository, KafkaBroker broker, Map<String, ServiceProcess> services, Duration startup) {
        this.repository = repository;
        this.broker = broker;
        this.services = services;
        this.startup = startup;
    }

    ServiceProcess service(String name) {
        return services.get(name);
    }

    /**
     * {@code @ExtendWith(RunningSystem.Extension.class)} starts the system before a test class and
     * hands it to test methods that take a {@code RunningSystem} parameter.
     */
    static final class Extension implements BeforeAllCallback, ParameterResolver {
        @Override
        public void beforeAll(ExtensionContext context) {
            get(context);
        }

        @Override
        public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
            return parameter.getParameter().getType() == RunningSystem.class;
        }

        @Override
        public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
            return get(context);
        }
    }

    private static RunningSystem get(ExtensionContext context) {
        return context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(RunningSystem.class, key -> start(), RunningSystem.class);
    }

    private static RunningSystem start() {
        Path repository = Path.of(System.getProperty("parley.root", "../..")).toAbsolutePath().normalize();
        KafkaBroker broker = new KafkaBroker(repository, "system-tests", BROKER_PORT, BROKER_PORT + 1);
        Map<String, ServiceProcess> services = new LinkedHashMap<>();
        try {
            broker.start();
            Duration startup = launch(repository, broker, services);
            System.out.printf("[system] four services ready %d ms after launch%n", startup.toMillis());
            return new RunningSystem(repository, broker, services, startup);
        } catch (Exception | AssertionError e) {
            new RunningSystem(repository, broker, services, Duration.ZERO).close();
            throw new IllegalStateException("the system did not start; see tests/system/target/system-logs", e);
        }
    }

    /** Starts the four services into {@code services}; returns how long until all were ready. */
    private static Duration launch(Path repository, KafkaBroker broker, Map<String, ServiceProcess> services)
            throws Exception {
        Map<String, Integer> ports = new LinkedHashMap<>();
        for (String name : SERVICES) {
            ports.put(name, name.equals("signaling") ? SIGNALING_PORT : ServiceProcess.freePort());
        }
        long launched = System.nanoTime();
        for (String name : SERVICES) {
            services.put(name, ServiceProcess.start(repository, name, environment(broker, ports), ports.get(name)));
        }
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                .until(() -> allReadinessEquals(services, 200));
        return Duration.ofNanos(System.nanoTime() - launched);
    }

    private static String randomSeed() {
        byte[] seed = new byte[32];
        new SecureRandom().nextBytes(seed);
        return Base64.getEncoder().encodeToString(seed);
    }

    /**
     * What every service process gets: this run's broker, Redis database and secrets, and where the
     * others listen ({@code ports}): signaling calls the relay and tells the web app where key
     * distribution and presence are, which answer CORS for signaling's origin.
     */
    private static Map<String, String> environment(KafkaBroker broker, Map<String, Integer> ports) {
        Map<String, String> environment = new LinkedHashMap<>(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", broker.bootstrap(),
                "QUARKUS_REDIS_HOSTS", LocalStack.redisUrl() + "/" + REDIS_DATABASE,
                "QUARKUS_OIDC_AUTH_SERVER_URL", LocalStack.issuer(),
                "PARLEY_MEDIA_RELAY_MEDIA_PORT", "0",
                "PARLEY_SIGNALING_GUESTS_TOKEN_SECRET", GUEST_TOKEN_SECRET,
                "PARLEY_PRESENCE_GUESTS_TOKEN_SECRET", GUEST_TOKEN_SECRET,
                "PARLEY_KEY_DISTRIBUTION_GUESTS_TOKEN_SECRET", GUEST_TOKEN_SECRET,
                "PARLEY_KEY_DISTRIBUTION_AUTHORITY_SEED", AUTHORITY_SEED,
                // Short enough that a test can watch a dropped participant time out.
                "PARLEY_SIGNALING_CALLS_RESUME_GRACE", RESUME_GRACE.toSeconds() + "s"));
        String signaling = "http://127.0.0.1:" + ports.get("signaling");
        environment.put("PARLEY_SIGNALING_MEDIA_RELAY_URL", "http://127.0.0.1:" + ports.get("media-relay"));
        // Relay failover within RelayFailoverIT's 5 s (docs/operations.md, "Relay failover"): beats every
        // 500 ms; probed after 750 ms without one (a killed relay refuses the probe: lost then); a live
        // relay whose beat is late is lost only at 2.5 s, when its registration expires, since a relay
        // starting its first calls on a busy 2-core machine missed beats for over 1.5 s (two fresh-clone
        // runs moved a call off a relay that was alive); checked every 250 ms.
        environment.put("PARLEY_MEDIA_RELAY_HEARTBEAT_INTERVAL", "500ms");
        environment.put("PARLEY_SIGNALING_MEDIA_RELAY_SUSPECT_AFTER", "750ms");
        environment.put("PARLEY_SIGNALING_MEDIA_RELAY_STALENESS", "2500ms");
        environment.put("PARLEY_SIGNALING_MEDIA_RELAY_WATCH_INTERVAL", "250ms");
        environment.put("PARLEY_SIGNALING_PUBLIC_URL", signaling);
        environment.put("PARLEY_SIGNALING_WEB_KEY_DISTRIBUTION_URL", "http://127.0.0.1:" + ports.get("key-distribution"));
        environment.put("PARLEY_SIGNALING_WEB_PRESENCE_URL", "http://127.0.0.1:" + ports.get("presence"));
        environment.put("QUARKUS_HTTP_CORS_ORIGINS", signaling);
        // BrowserBandwidthIT constrains one subscriber's link through the relay's test-only control.
        environment.put("PARLEY_MEDIA_RELAY_BANDWIDTH_TEST_EGRESS_LIMIT", "true");
        return environment;
    }

    /**
     * Starts one more replica of {@code service} against the same broker, Redis and secret, and
     * waits until it is ready. The caller stops it (or kills it) when done.
     */
    ServiceProcess startReplica(String service) throws Exception {
        return startReplica(service, Map.of());
    }

    /** As {@link #startReplica(String)}, with {@code settings} added to its environment (e.g. a relay's id and region). */
    ServiceProcess startReplica(String service, Map<String, String> settings) throws Exception {
        Map<String, Integer> ports = new LinkedHashMap<>();
        services.forEach((name, process) -> ports.put(name, process.port()));
        Map<String, String> environment = environment(broker, ports);
        environment.putAll(settings);
        ServiceProcess replica = ServiceProcess.start(repository, service, environment);
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                .until(() -> allReadinessEquals(Map.of("replica", replica), 200));
        return replica;
    }

    /**
     * Restarts one service on its port with {@code extra} environment variables on top of the
     * usual ones (none: as it was), and waits until it is ready.
     */
    void restart(String service, Map<String, String> extra) throws Exception {
        ServiceProcess old = services.get(service);
        old.close();
        Map<String, Integer> ports = new LinkedHashMap<>();
        services.forEach((name, process) -> ports.put(name, process.port()));
        Map<String, String> environment = environment(broker, ports);
        environment.putAll(extra);
        ServiceProcess started = ServiceProcess.start(repository, service, environment, old.port());
        services.put(service, started);
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                .until(() -> allReadinessEquals(Map.of(service, started), 200));
    }

    /**
     * Stops every service, runs {@code whileStopped}, and starts them all again (on new ports).
     */
    void restartServices(Runnable whileStopped) throws Exception {
        for (ServiceProcess service : services.values()) {
            service.close();
        }
        services.clear();
        whileStopped.run();
        Duration startup = launch(repository, broker, services);
        System.out.printf("[system] four services ready again %d ms after the restart%n", startup.toMillis());
    }

    /** Whether every service's readiness probe answers {@code status} (200 UP, 503 DOWN). */
    boolean allReadinessEquals(int status) {
        return allReadinessEquals(services, status);
    }

    private static boolean allReadinessEquals(Map<String, ServiceProcess> services, int status) {
        for (ServiceProcess service : services.values()) {
            if (!service.isAlive()) {
                throw new IllegalStateException(service.name() + " exited; see " + service.log());
            }
            if (service.readiness() != status) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() {
        List<Throwable> failures = new ArrayList<>();
        for (ServiceProcess service : services.values()) {
            try {
                service.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failures.add(e);
            }
        }
        try {
            broker.stop();
        } catch (Exception e) {
            failures.add(e);
        }
        if (!failures.isEmpty()) {
            IllegalStateException failure = new IllegalStateException("could not stop the system cleanly");
            failures.forEach(failure::addSuppressed);
            throw failure;
        }
    }
}
