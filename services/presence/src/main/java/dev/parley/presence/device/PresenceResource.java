package dev.parley.presence.device;

import dev.parley.events.identity.UserId;
import dev.parley.presence.PresenceConfig;
import dev.parley.runtime.problem.Problem;
import dev.parley.runtime.problem.ProblemException;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * Device heartbeats and presence look-ups. Signed-in users may see any user of the realm; guests
 * (who arrive with the signaling issue) will see only the people of their room.
 */
@Path("/api/v1/presence")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class PresenceResource {

    /** What a heartbeat answers: when the next one is due, and when the device lapses without it. */
    public record HeartbeatAccepted(long heartbeatIntervalSeconds, long expiresInSeconds) {
    }

    private final DevicePresence presence;
    private final SecurityIdentity caller;
    private final PresenceConfig config;

    PresenceResource(DevicePresence presence, SecurityIdentity caller, PresenceConfig config) {
        this.presence = presence;
        this.caller = caller;
        this.config = config;
    }

    @PUT
    @Path("/me/devices/{deviceId}")
    @Consumes(MediaType.APPLICATION_JSON)
    public HeartbeatAccepted heartbeat(@PathParam("deviceId") String deviceId, @NotNull @Valid Heartbeat heartbeat) {
        presence.heartbeat(me(), device(deviceId), heartbeat.status());
        return new HeartbeatAccepted(config.heartbeatInterval().toSeconds(), config.deviceTtl().toSeconds());
    }

    @DELETE
    @Path("/me/devices/{deviceId}")
    public Response leave(@PathParam("deviceId") String deviceId) {
        presence.leave(me(), device(deviceId));
        return Response.noContent().build();
    }

    @GET
    @Path("/users/{userId}")
    public UserPresence of(@PathParam("userId") String userId) {
        if (userId.isBlank() || userId.length() > UserId.MAX_LENGTH) {
            throw new ProblemException(Problem.of("malformed-user-id", "Malformed user id",
                    Response.Status.BAD_REQUEST, "A user id has 1 to " + UserId.MAX_LENGTH + " characters."));
        }
        return presence.of(new UserId(userId));
    }

    private UserId me() {
        return new UserId(caller.getPrincipal().getName());
    }

    private static DeviceId device(String deviceId) {
        if (!DeviceId.isWellFormed(deviceId)) {
            throw new ProblemException(Problem.of("malformed-device-id", "Malformed device id",
                    Response.Status.BAD_REQUEST, "A device id has 8 to 64 characters from A-Z a-z 0-9 _ -."));
        }
        return new DeviceId(deviceId);
    }
}
