package dev.parley.mediarelay.session;

import dev.parley.events.call.ParticipantId;
import dev.parley.runtime.problem.Problem;
import dev.parley.runtime.problem.ProblemException;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How large a participant renders each track it receives, by the mid of the receiving section
 * ({@code docs/protocol.md}, {@code media-layout}): the layer selector forwards no larger a
 * simulcast stream than that, and pauses a track rendered at 0×0. Signaling passes the client's
 * message on; only its service account may call ({@link ControlClient}).
 */
@Path("/api/v1/rooms/{roomId}/participants/{participantId}/layout")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class LayoutResource {

    /** One section's rendered size in device pixels. */
    public record Size2(@Min(0) @Max(RenderedSize.MAX) int width, @Min(0) @Max(RenderedSize.MAX) int height) {
    }

    /** The body: rendered sizes by mid; a mid left out is rendered at whatever size the relay chooses. */
    public record Layout(@NotNull @Size(max = 256) Map<@Size(min = 1, max = 32) String, @NotNull @Valid Size2> tracks) {
    }

    private final SessionRegistry sessions;
    private final ControlClient control;
    private final SecurityIdentity identity;

    LayoutResource(SessionRegistry sessions, ControlClient control, SecurityIdentity identity) {
        this.sessions = sessions;
        this.control = control;
        this.identity = identity;
    }

    /** Replaces the participant's rendered sizes; 404 {@code no-session} when it has no session in the room here. */
    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    public Response layout(@PathParam("roomId") String roomId, @PathParam("participantId") String participantId,
                           @NotNull @Valid Layout body) {
        control.require(identity);
        RoomId room = SessionProblems.room(roomId);
        ParticipantId participant;
        try {
            participant = new ParticipantId(participantId);
        } catch (IllegalArgumentException e) {
            throw SessionProblems.invalid(e.getMessage());
        }
        Session session = sessions.byParticipant(participant)
                .filter(found -> found.room().orElseThrow().equals(room))
                .orElseThrow(() -> new ProblemException(Problem.of("no-session", "No media session",
                        Response.Status.NOT_FOUND, "the participant has no media session in this room on this relay")));
        Map<String, RenderedSize> sizes = new LinkedHashMap<>();
        body.tracks().forEach((mid, size) -> sizes.put(mid, new RenderedSize(size.width(), size.height())));
        session.rendered(sizes);
        return Response.noContent().build();
    }
}
