package dev.parley.runtime.health;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Node;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Readiness that follows the Kafka broker: DOWN within seconds of the broker becoming unreachable,
 * UP again as soon as it answers, without restarting the service.
 *
 * <p>A background thread asks the broker to describe its cluster every
 * {@link KafkaReadinessConfig#interval()}, and the probe only reads the latest answer. Asking the
 * broker inside the probe instead would make the probe hang as long as the client retries (the
 * stock Quarkus check waits up to a minute), and Kubernetes would see timeouts, not a clear DOWN.
 */
@Readiness
@ApplicationScoped
public class KafkaReadinessCheck implements HealthCheck {

    private record Observation(boolean reachable, String detail, Instant at) {
    }

    private final String bootstrapServers;
    private final KafkaReadinessConfig config;
    private volatile Observation latest = new Observation(false, "not probed yet", Instant.now());
    private ScheduledExecutorService prober;
    private Admin admin;

    KafkaReadinessCheck(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
                        KafkaReadinessConfig config) {
        this.bootstrapServers = bootstrapServers;
        this.config = config;
    }

    void start(@Observes StartupEvent started) {
        int timeoutMs = Math.toIntExact(config.timeout().toMillis());
        admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.CLIENT_ID_CONFIG, "readiness-probe",
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs,
                AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000));
        prober = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "kafka-readiness-probe");
            thread.setDaemon(true);
            return thread;
        });
        prober.scheduleWithFixedDelay(this::probe, 0, config.interval().toMillis(), TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent stopping) {
        if (prober != null) {
            prober.shutdownNow();
        }
        if (admin != null) {
            admin.close(Duration.ofSeconds(1));
        }
    }

    private void probe() {
        long timeoutMs = config.timeout().toMillis();
        try {
            Collection<Node> nodes = admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) timeoutMs))
                    .nodes().get(timeoutMs + 500, TimeUnit.MILLISECONDS);
            String brokers = nodes.stream().map(node -> node.host() + ":" + node.port())
                    .collect(Collectors.joining(","));
            latest = new Observation(!nodes.isEmpty(), brokers, Instant.now());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            latest = new Observation(false, cause.getClass().getSimpleName() + ": " + cause.getMessage(), Instant.now());
        }
    }

    @Override
    public HealthCheckResponse call() {
        Observation seen = latest;
        Duration age = Duration.between(seen.at(), Instant.now());
        // A probe thread that stopped reporting is itself a reason not to trust the last answer.
        boolean fresh = age.compareTo(config.interval().plus(config.timeout()).multipliedBy(2)) < 0;
        return HealthCheckResponse.named("Kafka broker")
                .status(seen.reachable() && fresh)
                .withData("bootstrap.servers", bootstrapServers)
                .withData("detail", fresh ? seen.detail() : "no answer from the probe for " + age.toSeconds() + " s")
                .withData("checkedAt", seen.at().toString())
                .build();
    }
}
