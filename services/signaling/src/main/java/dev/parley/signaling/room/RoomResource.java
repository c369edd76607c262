package dev.parley.signaling.room;

import dev.parley.events.room.RoomId;
import dev.parley.events.room.RoomState;
import dev.parley.runtime.problem.Problem;
import dev.parley.runtime.problem.ProblemException;
import dev.parley.signaling.SignalingConfig;
import dev.parley.signaling.identity.CurrentUser;
import io.quarkus.security.Authenticated;
import io.quarkus.security.ForbiddenException;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;


/**
 * The rooms REST API. Every call needs a Keycloak access token; creating a room also needs the
 * configured creator role, and changing or ending one needs to be its host. Each user's rate of
 * changes is limited across all replicas.
 */
@Path("/api/v1/rooms")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class RoomResource {

    private final RoomService rooms;
    private final CurrentUser caller;
    private final SignalingConfig config;
    private final ChangeLimits limits;

    RoomResource(RoomService rooms, CurrentUser caller, SignalingConfig config, ChangeLimits limits) {
        this.rooms = rooms;
        this.caller = caller;
        this.config = config;
        this.limits = limits;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(@NotNull @Valid CreateRoomRequest request, @Context UriInfo uri) {
        if (!caller.hasRole(config.rooms().creatorRole())) {
            throw new ForbiddenException();
        }
        limits.takeCreate(caller.id());
        RoomState room = rooms.create(caller.id(), request);
        return Response.created(uri.getAbsolutePathBuilder().path(room.id().value()).build())
                .entity(room)
                .build();
    }

    @GET
    @Path("/{roomId}")
    public RoomState get(@PathParam("roomId") String roomId) {
        RoomId id = RoomIdParam.parse(roomId);
        if (caller.guestRoom().filter(admitted -> !admitted.equals(id)).isPresent()) {
            throw new ProblemException(Problem.of("not-your-room", "Not your room", Response.Status.FORBIDDEN,
                    "A guest token admits its holder to one room only."));
        }
        return rooms.find(id);
    }

    @PATCH
    @Path("/{roomId}")
    @Consumes(MediaType.APPLICATION_JSON)
    public RoomState update(@PathParam("roomId") String roomId, @NotNull @Valid UpdateRoomRequest request) {
        limits.takeChange(caller.id());
        return rooms.update(caller.id(), RoomIdParam.parse(roomId), request);
    }

    @POST
    @Path("/{roomId}/end")
    public RoomState end(@PathParam("roomId") String roomId) {
        limits.takeChange(caller.id());
        return rooms.end(caller.id(), RoomIdParam.parse(roomId));
    }
}
