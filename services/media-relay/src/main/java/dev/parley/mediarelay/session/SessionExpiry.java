package dev.parley.mediarelay.session;

import dev.parley.mediarelay.Timers;
import dev.parley.mediarelay.MediaRelayConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Closes sessions whose client stopped sending ICE checks: it never finished ICE, left without
 * saying so, or lost its network. Consent lapses after {@link MediaRelayConfig#consentTimeout()}
 * (RFC 7675 §5.1), checked every few seconds.
 */
@Singleton
public class SessionExpiry {

    private static final Logger LOG = Logger.getLogger(SessionExpiry.class);
    private static final Duration SWEEP_INTERVAL = Duration.ofSeconds(5);

    private final SessionRegistry sessions;
    private final Duration timeout;
    private final Counter expired;
    private final ScheduledExecutorService sweeper = Timers.daemon("session-expiry");

    SessionExpiry(SessionRegistry sessions, MediaRelayConfig config, MeterRegistry meters) {
        this.sessions = sessions;
        this.timeout = config.consentTimeout();
        this.expired = Counter.builder("parley.media.sessions.expired")
                .description("Sessions closed because ICE consent lapsed")
                .register(meters);
    }

    void start(@Observes StartupEvent started) {
        sweeper.scheduleWithFixedDelay(this::sweep, SWEEP_INTERVAL.toMillis(), SWEEP_INTERVAL.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent stopping) {
        sweeper.shutdownNow();
    }

    private void sweep() {
        try {
            expired.increment(sessions.closeSilentSince(Instant.now().minus(timeout)).size());
        } catch (RuntimeException e) {
            // A failed sweep must not cancel the schedule; the next one tries again.
            LOG.warnf(e, "session expiry sweep failed");
        }
    }
}
