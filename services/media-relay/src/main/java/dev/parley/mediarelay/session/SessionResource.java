package dev.parley.mediarelay.session;

import dev.parley.mediarelay.MediaRelayConfig;
import dev.parley.mediarelay.dtls.DtlsCertificate;
import dev.parley.mediarelay.dtls.DtlsFingerprint;
import dev.parley.mediarelay.ice.IceCredentials;
import dev.parley.mediarelay.transport.MediaSocket;
import dev.parley.runtime.problem.Problem;
import dev.parley.runtime.problem.ProblemException;
import io.quarkus.security.Authenticated;
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
import java.util.UUID;

/**
 * Opens and closes participant transports on this relay. Signaling will call it while it builds the
 * SDP answer; until then it is the relay's whole control API.
 */
@Path("/api/v1/sessions")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class SessionResource {

    private final SessionRegistry sessions;
    private final DtlsCertificate certificate;
    private final MediaSocket socket;
    private final MediaRelayConfig config;

    SessionResource(SessionRegistry sessions, DtlsCertificate certificate, MediaSocket socket, MediaRelayConfig config) {
        this.sessions = sessions;
        this.certificate = certificate;
        this.socket = socket;
        this.config = config;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response open(@NotNull @Valid SessionOffer offer) {
        IceCredentials clientIce = clientIce(offer);
        DtlsFingerprint clientFingerprint = clientFingerprint(offer.fingerprint());
        Session session;
        try {
            session = sessions.open(clientIce, clientFingerprint);
        } catch (SessionRegistry.FullException e) {
            throw new ProblemException(Problem.of("relay-full", "Relay full", Response.Status.SERVICE_UNAVAILABLE,
                    "this relay holds its maximum number of sessions; place the participant on another relay"));
        }
        DtlsFingerprint ours = certificate.fingerprint();
        SessionAnswer answer = new SessionAnswer(session.id().toString(), true, session.localIce().ufrag(),
                session.localIce().password(), new SessionOffer.Fingerprint(ours.algorithm(), ours.value()), "passive",
                List.of(SessionAnswer.Candidate.host(config.candidateAddress(), socket.localAddress().getPort())));
        return Response.status(Response.Status.CREATED).entity(answer).build();
    }

    @DELETE
    @Path("/{id}")
    public Response close(@PathParam("id") String id) {
        UUID uuid;
        try {
            uuid = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw invalid("not a session id");
        }
        sessions.close(new SessionId(uuid));
        return Response.noContent().build();
    }

    private static IceCredentials clientIce(SessionOffer offer) {
        if (!IceCredentials.isValidUfrag(offer.iceUfrag()) || !IceCredentials.isValidPassword(offer.icePwd())) {
            throw invalid("iceUfrag needs 4 to 256 and icePwd 22 to 256 ice-chars (RFC 8839 §5.4)");
        }
        return new IceCredentials(offer.iceUfrag(), offer.icePwd());
    }

    private static DtlsFingerprint clientFingerprint(SessionOffer.Fingerprint fingerprint) {
        try {
            return new DtlsFingerprint(fingerprint.algorithm(), fingerprint.value());
        } catch (IllegalArgumentException e) {
            throw invalid(e.getMessage());
        }
    }

    private static ProblemException invalid(String detail) {
        return new ProblemException(Problem.of("invalid-session-offer", "Invalid session offer",
                Response.Status.BAD_REQUEST, detail));
    }
}
