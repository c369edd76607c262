package dev.parley.mediarelay.session;

import dev.parley.media.dtls.DtlsFingerprint;
import dev.parley.media.dtls.DtlsIdentity;
import dev.parley.mediarelay.MediaRelayConfig;
import dev.parley.mediarelay.ice.IceCredentials;
import dev.parley.mediarelay.rtp.MediaKind;
import dev.parley.mediarelay.rtp.PublishedTrack;
import dev.parley.mediarelay.rtp.Ssrc;
import dev.parley.mediarelay.sdp.OfferedTracks;
import dev.parley.mediarelay.sdp.SdpAnswerer;
import dev.parley.mediarelay.sdp.SdpOffer;
import dev.parley.mediarelay.sdp.SdpOfferException;
import dev.parley.mediarelay.sdp.SdpParser;
import dev.parley.mediarelay.transport.MediaSocket;
import dev.parley.runtime.problem.Problem;
import dev.parley.runtime.problem.ProblemException;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * The transport API: opens and closes sessions that belong to no participant of a call, from an
 * SDP offer (answered in SDP) or from its transport half as JSON, and receive every track of their
 * room unchanged. Transport tests and the load benchmark use it; calls go through
 * {@link ParticipantSessionResource}. Like that one, it is for the control client only.
 */
@Path("/api/v1/sessions")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class SessionResource {

    private final SessionRegistry sessions;
    private final DtlsIdentity certificate;
    private final MediaSocket socket;
    private final MediaRelayConfig config;
    private final ControlClient control;
    private final SecurityIdentity identity;

    SessionResource(SessionRegistry sessions, DtlsIdentity certificate, MediaSocket socket, MediaRelayConfig config,
                    ControlClient control, SecurityIdentity identity) {
        this.sessions = sessions;
        this.certificate = certificate;
        this.socket = socket;
        this.config = config;
        this.control = control;
        this.identity = identity;
    }

    /** Opens a session from an SDP offer (answered in SDP) or from its JSON transport half. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response open(@NotNull @Valid SessionOffer offer) {
        control.require(identity);
        if (offer.offer() != null) {
            return openFromSdp(offer);
        }
        Session session = open(clientIce(offer), clientFingerprint(offer.fingerprint()), room(offer.roomId()),
                tracks(offer.publishes()));
        DtlsFingerprint ours = certificate.fingerprint();
        SessionAnswer answer = new SessionAnswer(session.id().toString(), true, session.localIce().ufrag(),
                session.localIce().password(), new SessionOffer.Fingerprint(ours.algorithm(), ours.value()), "passive",
                List.of(hostCandidate()));
        return Response.status(Response.Status.CREATED).entity(answer).build();
    }

    private Response openFromSdp(SessionOffer body) {
        if (body.iceUfrag() != null || body.icePwd() != null || body.fingerprint() != null || body.publishes() != null) {
            throw SessionProblems.invalid("an SDP offer comes with roomId only: its transport and tracks are in the SDP");
        }
        SdpOffer offer;
        List<PublishedTrack> tracks;
        try {
            offer = SdpParser.parse(body.offer());
            tracks = OfferedTracks.of(offer);
        } catch (SdpOfferException e) {
            throw SessionProblems.invalidSdp(e);
        } catch (IllegalArgumentException e) {
            throw SessionProblems.invalid(e.getMessage());
        }
        Session session = open(offer.ice(), offer.fingerprint(), room(body.roomId()), tracks);
        String answer = new SdpAnswerer(session.localIce(), certificate.fingerprint(), hostCandidate())
                .answer(offer, session.id().value().getMostSignificantBits() >>> 1);
        return Response.status(Response.Status.CREATED)
                .entity(new SdpSessionAnswer(session.id().toString(), answer)).build();
    }

    private Session open(IceCredentials clientIce, DtlsFingerprint clientFingerprint, RoomId room,
                         List<PublishedTrack> tracks) {
        try {
            return sessions.open(clientIce, clientFingerprint, room, tracks);
        } catch (SessionRegistry.FullException e) {
            throw SessionProblems.full();
        } catch (SessionRegistry.SsrcConflictException e) {
            throw SessionProblems.conflict(e);
        }
    }

    private SessionAnswer.Candidate hostCandidate() {
        return SessionAnswer.Candidate.host(config.candidateAddress(), socket.localAddress().getPort());
    }

    /** Adds tracks to what a session publishes; 404 for an unknown session, 409 for a taken SSRC. */
    @POST
    @Path("/{id}/tracks")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response publish(@PathParam("id") String id, @NotNull @Valid TracksOffer offer) {
        control.require(identity);
        List<PublishedTrack> tracks = tracks(offer.publishes());
        Session session = sessions.byId(sessionId(id)).orElseThrow(() -> new ProblemException(Problem.of(
                "session-not-found", "Session not found", Response.Status.NOT_FOUND, "no such session on this relay")));
        try {
            sessions.publish(session, tracks);
        } catch (SessionRegistry.SsrcConflictException e) {
            throw SessionProblems.conflict(e);
        }
        return Response.noContent().build();
    }

    @DELETE
    @Path("/{id}")
    public Response close(@PathParam("id") String id) {
        control.require(identity);
        sessions.close(sessionId(id));
        return Response.noContent().build();
    }

    private static SessionId sessionId(String id) {
        try {
            return new SessionId(UUID.fromString(id));
        } catch (IllegalArgumentException e) {
            throw SessionProblems.invalid("not a session id");
        }
    }


    /** The room a request may name: none (a session in no room) or a valid one, else 400. */
    private static RoomId room(String roomId) {
        return roomId == null ? null : SessionProblems.room(roomId);
    }

    private static List<PublishedTrack> tracks(List<TrackOffer> offers) {
        if (offers == null) {
            return List.of();
        }
        try {
            return offers.stream().map(offer -> new PublishedTrack(new Ssrc(offer.ssrc()),
                    MediaKind.valueOf(offer.kind().toUpperCase(Locale.ROOT)),
                    Optional.ofNullable(offer.rtxSsrc()).map(Ssrc::new))).toList();
        } catch (IllegalArgumentException e) {
            throw SessionProblems.invalid(e.getMessage());
        }
    }


    private static IceCredentials clientIce(SessionOffer offer) {
        if (offer.fingerprint() == null) {
            throw SessionProblems.invalid("either an SDP offer, or iceUfrag, icePwd and fingerprint");
        }
        if (!IceCredentials.isValidUfrag(offer.iceUfrag()) || !IceCredentials.isValidPassword(offer.icePwd())) {
            throw SessionProblems.invalid("iceUfrag needs 4 to 256 and icePwd 22 to 256 ice-chars (RFC 8839 §5.4)");
        }
        return new IceCredentials(offer.iceUfrag(), offer.icePwd());
    }

    private static DtlsFingerprint clientFingerprint(SessionOffer.Fingerprint fingerprint) {
        try {
            return new DtlsFingerprint(fingerprint.algorithm(), fingerprint.value());
        } catch (IllegalArgumentException e) {
            throw SessionProblems.invalid(e.getMessage());
        }
    }


}
