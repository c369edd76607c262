package dev.parley.signaling.invite;

import dev.parley.signaling.identity.CurrentUser;
import dev.parley.signaling.room.ChangeLimits;
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

import java.util.List;

/** A room's invite links; hosts only. */
@Path("/api/v1/rooms/{roomId}/invites")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class InviteResource {

    private final InviteService invites;
    private final CurrentUser caller;
    private final ChangeLimits limits;

    InviteResource(InviteService invites, CurrentUser caller, ChangeLimits limits) {
        this.invites = invites;
        this.caller = caller;
        this.limits = limits;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(@PathParam("roomId") String roomId, @NotNull @Valid CreateInviteRequest request) {
        limits.takeChange(caller.id());
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
        limits.takeChange(caller.id());
        invites.revoke(caller.id(), RoomIdParam.parse(roomId), InviteCodeParam.parse(code));
        return Response.noContent().build();
    }
}
