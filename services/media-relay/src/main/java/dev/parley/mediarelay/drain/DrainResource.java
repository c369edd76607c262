package dev.parley.mediarelay.drain;

import dev.parley.mediarelay.MediaRelayConfig;
import dev.parley.mediarelay.session.SessionRegistry;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Map;

/**
 * {@code GET /q/drain}, the relay's pre-stop hook ({@code docs/operations.md}, "Upgrades without
 * dropping calls"): the relay takes no new rooms and answers once the last session of a
 * participant has closed (its call ended or its people moved), or when
 * {@link MediaRelayConfig#drainTimeout()} runs out (503). Kubernetes stops the pod after the
 * answer. It is reachable only where the relay's HTTP port is (the chart's NetworkPolicy: Parley's
 * services, Prometheus, the kubelet), and can do no more than a pod deletion would.
 */
@Path("/q/drain")
public class DrainResource {

    private static final Logger LOG = Logger.getLogger(DrainResource.class);
    private static final Duration POLL = Duration.ofSeconds(1);

    private final Drain drain;
    private final SessionRegistry sessions;
    private final Duration timeout;

    DrainResource(Drain drain, SessionRegistry sessions, MediaRelayConfig config) {
        this.drain = drain;
        this.sessions = sessions;
        this.timeout = config.drainTimeout();
    }

    @GET
    @Blocking
    @Produces(MediaType.APPLICATION_JSON)
    public Response drain() throws InterruptedException {
        if (!drain.start()) {
            LOG.infof("draining: no new rooms; %d sessions to wait for", carried());
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (carried() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(POLL.toMillis());
        }
        long left = carried();
        return Response.status(left == 0 ? Response.Status.OK : Response.Status.SERVICE_UNAVAILABLE)
                .entity(Map.of("draining", true, "sessions", left)).build();
    }

    private long carried() {
        return sessions.all().stream().filter(session -> session.participant().isPresent()).count();
    }
}
