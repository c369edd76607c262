package dev.parley.mediarelay.placement;

import dev.parley.mediarelay.Timers;
import dev.parley.mediarelay.MediaRelayConfig;
import dev.parley.mediarelay.drain.Drain;
import dev.parley.mediarelay.session.SessionRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.http.HttpServer;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Registers this relay for placement (issue 7, "Placement"): every
 * {@code parley.media-relay.heartbeat-interval} it publishes its {@link RelayEntry} in the
 * {@link RelayRegistry}, to expire after {@value #TTL_BEATS} intervals without a beat; on shutdown
 * it withdraws it. While Redis is unreachable it warns (at most once a minute) and keeps trying;
 * readiness does not depend on it, since the relay still carries its calls.
 */
@Singleton
public class RelayHeartbeat {

    private static final Logger LOG = Logger.getLogger(RelayHeartbeat.class);
    /** A relay is gone once this many beats are missed. */
    static final int TTL_BEATS = 5;
    private static final Duration WARN_EVERY = Duration.ofMinutes(1);

    private final RelayRegistry registry;
    private final SessionRegistry sessions;
    private final ReceivedPackets received;
    private final ProcessCpu cpu;
    private final Drain drain;
    private final HttpServer http;
    private final MediaRelayConfig config;
    private final RelayId id;
    private final Duration interval;
    private final ScheduledExecutorService timer = Timers.daemon("relay-heartbeat");
    private long lastBeatNanos = System.nanoTime();
    private long lastWarningNanos;
    private boolean failing;

    RelayHeartbeat(RelayRegistry registry, SessionRegistry sessions, ReceivedPackets received, ProcessCpu cpu,
                   Drain drain, HttpServer http, MediaRelayConfig config) {
        this.registry = registry;
        this.sessions = sessions;
        this.received = received;
        this.cpu = cpu;
        this.drain = drain;
        this.http = http;
        this.config = config;
        this.id = RelayId.configuredOr(config.relayId());
        this.interval = config.heartbeatInterval();
    }

    /** The id this relay registers under. */
    public RelayId id() {
        return id;
    }

    void start(@Observes StartupEvent started) {
        LOG.infof("relay %s registers for placement every %s", id, interval);
        timer.scheduleWithFixedDelay(this::beat, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Beats now rather than at the next interval: a relay that starts draining says so at once, so
     * signaling moves its calls away without waiting up to an interval.
     */
    void drainStarted(@Observes Drain.Started started) {
        try {
            timer.execute(this::beat);
        } catch (RejectedExecutionException e) {
            // Shutting down: the entry is being withdrawn anyway.
        }
    }

    void stop(@Observes ShutdownEvent stopping) throws InterruptedException {
        timer.shutdownNow();
        timer.awaitTermination(1, TimeUnit.SECONDS);
        try {
            registry.withdraw(id);
        } catch (RuntimeException e) {
            LOG.warnf("could not withdraw relay %s from placement (%s); it expires within %s", id, e,
                    interval.multipliedBy(TTL_BEATS));
        }
    }

    private void beat() {
        Optional<String> controlUrl = controlUrl();
        if (controlUrl.isEmpty()) {
            return; // the HTTP server is not listening yet: nobody could negotiate sessions here
        }
        try {
            registry.publish(entry(controlUrl.get()), interval.multipliedBy(TTL_BEATS));
            if (failing) {
                LOG.infof("relay %s registered for placement again", id);
                failing = false;
            }
        } catch (RuntimeException e) {
            long now = System.nanoTime();
            if (!failing || now - lastWarningNanos >= WARN_EVERY.toNanos()) {
                LOG.warnf("relay %s could not register for placement (%s); retrying every %s", id, e, interval);
                lastWarningNanos = now;
            }
            failing = true;
        }
    }

    private RelayEntry entry(String controlUrl) {
        long now = System.nanoTime();
        long elapsedMillis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(now - lastBeatNanos));
        lastBeatNanos = now;
        long packetsPerSecond = received.takeCount() * 1000 / elapsedMillis;
        RelayLoad load = new RelayLoad(sessions.all().size(), config.maxSessions(), packetsPerSecond,
                config.maxPacketsPerSecond(), cpu.load());
        return new RelayEntry(id, controlUrl, config.region(), load, drain.draining(), System.currentTimeMillis(),
                interval.multipliedBy(TTL_BEATS).toMillis());
    }

    /**
     * The configured control URL, or else this process's HTTP port (the one bound, also when
     * configured as 0) on the loopback address; empty until the HTTP server listens.
     */
    public Optional<String> controlUrl() {
        if (config.controlUrl().isPresent()) {
            return config.controlUrl();
        }
        int port = http.getPort();
        return port > 0 ? Optional.of("http://127.0.0.1:" + port) : Optional.empty();
    }
}
