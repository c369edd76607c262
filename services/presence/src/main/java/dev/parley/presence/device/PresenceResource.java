package dev.parley.presence.device;

import dev.parley.events.identity.UserId;
import dev.parley.events.presence.UserPresence;
import dev.parley.events.room.RoomId;
import dev.parley.presence.PresenceConfig;
import dev.parley.presence.guest.GuestAccess;
import dev.parley.presence.state.PresenceStore;
import dev.parley.presence.state.PresenceStore.Change;
import dev.parley.presence.state.PresenceUpdates;
import dev.parley.runtime.guest.GuestAuthenticationMechanism;
import dev.parley.runtime.problem.Problem;
import dev.parley.runtime.problem.ProblemException;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Device heartbeats and presence look-ups. Signed-in users may see any user of the realm; guests
 * see only themselves and the people in their room's call.
 */
@Path("/api/v1/presence")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class PresenceResource {

    /** What a heartbeat answers: when the next one is due, and when the device lapses without it. */
    public record HeartbeatAccepted(long heartbeatIntervalSeconds, long expiresInSeconds) {
    }

    /** The body of {@code POST /api/v1/presence/query}. */
    public record Query(@NotNull @Size(min = 1, max = MAX_QUERY) List<@NotBlank @Size(max = UserId.MAX_LENGTH) String> userIds) {
    }

    /** The answer to a query: one presence per distinct user asked about, in the order asked. */
    public record Presences(List<UserPresence> users) {
    }

    /** Who is in a room's call: each participant with their user's presence. */
    public record RoomPresence(String roomId, List<InCall> participants) {
    }

    public record InCall(String participantId, UserPresence presence) {
    }

    static final int MAX_QUERY = 200;

    private final PresenceStore store;
    private final PresenceUpdates updates;
    private final GuestAccess guests;
    private final SecurityIdentity caller;
    private final PresenceConfig config;
    private final Clock clock = Clock.systemUTC();

    PresenceResource(PresenceStore store, PresenceUpdates updates, GuestAccess guests, SecurityIdentity caller,
                     PresenceConfig config) {
        this.guests = guests;
        this.store = store;
        this.updates = updates;
        this.caller = caller;
        this.config = config;
    }

    @PUT
    @Path("/me/devices/{deviceId}")
    @Consumes(MediaType.APPLICATION_JSON)
    public HeartbeatAccepted heartbeat(@PathParam("deviceId") String deviceId, @NotNull @Valid Heartbeat heartbeat) {
        updates.apply(me(), Change.heartbeat(me(), device(deviceId), heartbeat.status(),
                clock.millis() + config.deviceTtl().toMillis()));
        return new HeartbeatAccepted(config.heartbeatInterval().toSeconds(), config.deviceTtl().toSeconds());
    }

    @DELETE
    @Path("/me/devices/{deviceId}")
    public Response leave(@PathParam("deviceId") String deviceId) {
        updates.apply(me(), Change.leave(me(), device(deviceId)));
        return Response.noContent().build();
    }

    @GET
    @Path("/users/{userId}")
    public UserPresence of(@PathParam("userId") String userId) {
        if (userId.isBlank() || userId.length() > UserId.MAX_LENGTH) {
            throw new ProblemException(Problem.of("malformed-user-id", "Malformed user id",
                    Response.Status.BAD_REQUEST, "A user id has 1 to " + UserId.MAX_LENGTH + " characters."));
        }
        return updates.refresh(visible(new UserId(userId)));
    }

    /** The presence of up to {@value #MAX_QUERY} users in one call. */
    @POST
    @Path("/query")
    @Consumes(MediaType.APPLICATION_JSON)
    public Presences query(@NotNull @Valid Query query) {
        return new Presences(query.userIds().stream().distinct().map(UserId::new).map(this::visible)
                .map(updates::refresh).toList());
    }

    /** Who is in the room's call right now, in one call. */
    @GET
    @Path("/rooms/{roomId}")
    public RoomPresence room(@PathParam("roomId") String roomId) {
        if (!RoomId.isWellFormed(roomId)) {
            throw new ProblemException(Problem.of("malformed-room-id", "Malformed room id",
                    Response.Status.BAD_REQUEST, "A room id looks like abcd-efgh-ijkl."));
        }
        if (guestRoom().filter(own -> !own.value().equals(roomId)).isPresent()) {
            throw new ProblemException(Problem.of("not-your-room", "Not your room", Response.Status.FORBIDDEN,
                    "A guest sees only the call of the room they were invited to."));
        }
        Map<UserId, UserPresence> seen = new HashMap<>();
        List<InCall> participants = store.inRoom(new RoomId(roomId)).entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .map(entry -> new InCall(entry.getKey(),
                        seen.computeIfAbsent(new UserId(entry.getValue()), updates::refresh)))
                .toList();
        return new RoomPresence(roomId, participants);
    }

    /** {@code user}, if the caller may see them; a guest sees only their own room's call. */
    private UserId visible(UserId user) {
        if (!guests.maySee(me(), guestRoom(), user)) {
            throw new ProblemException(Problem.of("not-in-your-room", "Not in your room", Response.Status.FORBIDDEN,
                    "A guest sees only themselves and the people in their room's call."));
        }
        return user;
    }

    private Optional<RoomId> guestRoom() {
        return Optional.ofNullable(caller.<RoomId>getAttribute(GuestAuthenticationMechanism.ROOM_ATTRIBUTE));
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
