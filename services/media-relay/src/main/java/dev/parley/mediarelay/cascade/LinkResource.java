package dev.parley.mediarelay.cascade;

import dev.parley.mediarelay.session.ControlClient;
import dev.parley.mediarelay.session.RoomId;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * The link API other relays of a cascaded room call ({@code docs/media-relay.md}, "Cascading"):
 * open a link, tell the tracks their participants publish and which of this relay's tracks they
 * receive, close it. Only the control client's
 * service account may call it, as for the session API: the requests carry SRTP keys and decide
 * what this relay's participants receive.
 */
@Path("/api/v1/rooms/{roomId}/links")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class LinkResource {

    private final Cascade cascade;
    private final ControlClient control;
    private final SecurityIdentity identity;

    LinkResource(Cascade cascade, ControlClient control, SecurityIdentity identity) {
        this.cascade = cascade;
        this.control = control;
        this.identity = identity;
    }

    /** Opens (or re-keys) the link of the room with the relay that sends the offer. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public LinkAnswer open(@PathParam("roomId") String roomId, @NotNull @Valid LinkOffer offer) {
        control.require(identity);
        return cascade.accept(room(roomId), offer);
    }

    /** Replaces what the other relay's participants of the room publish. */
    @PUT
    @Path("/{relayId}/tracks")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response tracks(@PathParam("roomId") String roomId,
                           @PathParam("relayId") @Pattern(regexp = LinkPeer.RELAY_ID) String relayId,
                           @NotNull @Valid LinkTracks tracks) {
        control.require(identity);
        cascade.update(room(roomId), relayId, tracks);
        return Response.noContent().build();
    }

    /** Replaces which of this relay's tracks the other relay's participants of the room receive. */
    @PUT
    @Path("/{relayId}/receiving")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response receiving(@PathParam("roomId") String roomId,
                              @PathParam("relayId") @Pattern(regexp = LinkPeer.RELAY_ID) String relayId,
                              @NotNull @Valid LinkReceiving receiving) {
        control.require(identity);
        cascade.receiving(room(roomId), relayId, receiving);
        return Response.noContent().build();
    }

    /** Closes the link; 204 also when there is none. */
    @DELETE
    @Path("/{relayId}")
    public Response close(@PathParam("roomId") String roomId,
                          @PathParam("relayId") @Pattern(regexp = LinkPeer.RELAY_ID) String relayId) {
        control.require(identity);
        cascade.close(room(roomId), relayId);
        return Response.noContent().build();
    }

    private static RoomId room(String roomId) {
        try {
            return new RoomId(roomId);
        } catch (IllegalArgumentException e) {
            throw LinkProblems.invalid(e.getMessage());
        }
    }
}
