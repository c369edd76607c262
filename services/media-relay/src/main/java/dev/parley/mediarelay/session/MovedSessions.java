package dev.parley.mediarelay.session;

import dev.parley.mediarelay.MediaRelayConfig;
import dev.parley.mediarelay.Timers;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The sessions of participants whose media signaling moved to another relay (docs/media-relay.md
 * §8a): they stay for {@link MediaRelayConfig#moveGrace()} so each participant's old connection
 * goes on carrying media while its new one to the other relay starts (make-before-break). Each
 * closes earlier when its participant closes the old connection (the DTLS {@code close_notify}
 * closes it in {@link SessionRegistry}), or leaves; whatever is still open at the end of the grace
 * closes then, so no moved call keeps a relay, draining or only thought lost, any longer.
 */
@Singleton
public class MovedSessions {

    private static final Logger LOG = Logger.getLogger(MovedSessions.class);

    private final SessionRegistry sessions;
    private final Duration grace;
    private final ScheduledExecutorService timer = Timers.daemon("moved-sessions");

    MovedSessions(SessionRegistry sessions, MediaRelayConfig config) {
        this.sessions = sessions;
        this.grace = config.moveGrace();
    }

    /** Closes {@code moved} at the end of the grace, each one still open then. */
    void closeAfterGrace(List<Session> moved) {
        List<SessionId> ids = moved.stream().map(Session::id).toList();
        timer.schedule(() -> {
            List<SessionId> open = ids.stream().filter(id -> sessions.byId(id).isPresent()).toList();
            if (!open.isEmpty()) {
                LOG.infof("closing %d moved session(s) still open after the %s grace", open.size(), grace);
                open.forEach(sessions::close);
            }
        }, grace.toMillis(), TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent stopping) {
        timer.shutdownNow();
    }
}
