package dev.parley.signaling.invite;

import dev.parley.events.invite.InviteCode;
import dev.parley.runtime.problem.Problem;
import dev.parley.runtime.problem.ProblemException;
import dev.parley.runtime.ratelimit.RateLimiter;
import dev.parley.signaling.SignalingConfig;
import dev.parley.signaling.identity.CurrentUser;
import dev.parley.signaling.room.RoomIdParam;
import io.quarkus.security.Authenticated;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.time.Duration;
import java.util.List;

/** A room's invite links; hosts only. */
@Path("/api/v1/rooms/{roomId}/invites")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class InviteResource {

    private static final Duration MINUTE = Duration.ofMinutes(1);

    private final InviteService invites;
    private final CurrentUser caller;
    private final SignalingConfig config;
    private final RateLimiter limiter;

    InviteResource(InviteService invites, CurrentUser caller, SignalingConfig config, RateLimiter limiter) {
        this.invites = invites;
        this.caller = caller;
        this.config = config;
        this.limiter = limiter;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(@PathParam("roomId") String roomId, @NotNull @Valid CreateInviteRequest request) {
        limiter.acquire("room-change", caller.id().value(), config.rooms().changesPerMinute(), MINUTE);
        InviteView invite = invites.create(caller.id(), RoomIdParam.parse(roomId), request);
        return Response.status(Response.Status.CREATED).entity(invite).build();
    }

    @GET
    public List<InviteView> list(@PathParam("roomId") String roomId) {
        return invites.list(caller.id(), RoomIdParam.parse(roomId));
    }

    @DELETE
    @Path("/{code}")
    public Response revoke(@PathParam("roomId") String roomId, @PathParam("code") String code) {
        limiter.acquire("room-change", caller.id().value(), config.rooms().changesPerMinute(), MINUTE);
        if (!InviteCode.isWellFormed(code)) {
            throw new ProblemException(Problem.of("malformed-invite-code", "Malformed invite code",
                    Response.Status.BAD_REQUEST, "An invite code has 22 base64url characters."));
        }
        invites.revoke(caller.id(), RoomIdParam.parse(roomId), new InviteCode(code));
        return Response.noContent().build();
    }
}
