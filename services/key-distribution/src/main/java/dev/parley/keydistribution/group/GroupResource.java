package dev.parley.keydistribution.group;

import dev.parley.events.room.RoomId;
import dev.parley.runtime.problem.Problem;
import dev.parley.runtime.problem.ProblemException;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** Read access to the group of a room's call. */
@Path("/api/v1/groups")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class GroupResource {

    private final GroupRegistry groups;

    GroupResource(GroupRegistry groups) {
        this.groups = groups;
    }

    @GET
    @Path("/{roomId}")
    public CallGroup get(@PathParam("roomId") String roomId) {
        if (!RoomId.isWellFormed(roomId)) {
            throw new ProblemException(Problem.of("malformed-room-id", "Malformed room id",
                    Response.Status.BAD_REQUEST, "A room id looks like abcd-efgh-ijkl."));
        }
        return groups.find(new RoomId(roomId)).orElseThrow(() -> new ProblemException(
                Problem.of("group-not-found", "No such group", Response.Status.NOT_FOUND,
                        "No call group is open for room " + roomId + ".")));
    }
}
