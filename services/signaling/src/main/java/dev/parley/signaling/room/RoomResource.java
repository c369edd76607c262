package dev.parley.signaling.room;

import dev.parley.events.identity.UserId;
import dev.parley.events.room.RoomId;
import dev.parley.signaling.SignalingConfig;
import dev.parley.runtime.problem.Problem;
import dev.parley.runtime.problem.ProblemException;
import io.quarkus.security.Authenticated;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.core.Context;

/**
 * The rooms REST API. Every call needs a Keycloak access token; creating a room also needs the
 * configured creator role.
 */
@Path("/api/v1/rooms")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class RoomResource {

    private final RoomService rooms;
    private final SecurityIdentity caller;
    private final SignalingConfig config;

    RoomResource(RoomService rooms, SecurityIdentity caller, SignalingConfig config) {
        this.rooms = rooms;
        this.caller = caller;
        this.config = config;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(@NotNull @Valid CreateRoomRequest request, @Context UriInfo uri) {
        if (!caller.hasRole(config.rooms().creatorRole())) {
            throw new ForbiddenException();
        }
        Room room = rooms.create(new UserId(caller.getPrincipal().getName()), request);
        return Response.created(uri.getAbsolutePathBuilder().path(room.id().value()).build())
                .entity(room)
                .build();
    }

    @GET
    @Path("/{roomId}")
    public Room get(@PathParam("roomId") String roomId) {
        if (!RoomId.isWellFormed(roomId)) {
            throw new ProblemException(Problem.of("malformed-room-id", "Malformed room id",
                    Response.Status.BAD_REQUEST, "A room id looks like abcd-efgh-ijkl."));
        }
        return rooms.find(new RoomId(roomId)).orElseThrow(() -> new ProblemException(
                Problem.of("room-not-found", "No such room", Response.Status.NOT_FOUND,
                        "There is no room " + roomId + ".")));
    }
}
