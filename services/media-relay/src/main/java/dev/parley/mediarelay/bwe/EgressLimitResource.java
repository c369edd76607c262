package dev.parley.mediarelay.bwe;

import dev.parley.events.call.ParticipantId;
import dev.parley.mediarelay.session.ControlClient;
import dev.parley.mediarelay.session.Session;
import dev.parley.mediarelay.session.SessionRegistry;
import dev.parley.runtime.problem.Problem;
import dev.parley.runtime.problem.ProblemException;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * Test only: constrains what the relay sends one participant to a rate, dropping the excess after
 * it was numbered for congestion control, so the relay's own estimator sees a constrained link (no
 * netem here). 404 {@code not-enabled} unless the relay runs with
 * {@code parley.media-relay.bandwidth.test-egress-limit=true}; control client only.
 */
@Path("/api/v1/rooms/{roomId}/participants/{participantId}/egress-limit")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class EgressLimitResource {

    /** The rate in bit/s; 0 lifts the limit. */
    public record Limit(@Min(0) @Max(10_000_000_000L) long bitsPerSecond) {
    }

    private final CongestionControl congestion;
    private final SessionRegistry sessions;
    private final ControlClient control;
    private final SecurityIdentity identity;

    EgressLimitResource(CongestionControl congestion, SessionRegistry sessions, ControlClient control,
                        SecurityIdentity identity) {
        this.congestion = congestion;
        this.sessions = sessions;
        this.control = control;
        this.identity = identity;
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    public Response limit(@PathParam("roomId") String roomId, @PathParam("participantId") String participantId,
                          @NotNull @Valid Limit body) {
        if (!congestion.testLimitEnabled()) {
            throw new ProblemException(Problem.of("not-enabled", "Not enabled", Response.Status.NOT_FOUND,
                    "the egress limit is a test control, off on this relay"));
        }
        control.require(identity);
        ParticipantId participant;
        try {
            participant = new ParticipantId(participantId);
        } catch (IllegalArgumentException e) {
            throw new ProblemException(Problem.of("invalid-participant", "Invalid participant",
                    Response.Status.BAD_REQUEST, e.getMessage()));
        }
        Session session = sessions.byParticipant(participant)
                .filter(found -> found.room().map(room -> room.value().equals(roomId)).orElse(false))
                .orElseThrow(() -> new ProblemException(Problem.of("no-session", "No media session",
                        Response.Status.NOT_FOUND, "the participant has no media session in this room on this relay")));
        SubscriberLink link = congestion.link(session).orElseThrow(() -> new ProblemException(Problem.of(
                "no-congestion-control", "No congestion control", Response.Status.CONFLICT,
                "the participant negotiated no transport-wide congestion control (sequence extension id "
                        + session.transportCcId() + ")")));
        link.limit(body.bitsPerSecond());
        return Response.noContent().build();
    }
}
