package dev.parley.mediarelay.session;

import dev.parley.events.call.ParticipantId;
import dev.parley.media.dtls.DtlsIdentity;
import dev.parley.mediarelay.MediaRelayConfig;
import dev.parley.mediarelay.cascade.Cascade;
import dev.parley.mediarelay.drain.Drain;
import dev.parley.mediarelay.forward.KeyframeRequester;
import dev.parley.mediarelay.rtp.MediaKind;
import dev.parley.mediarelay.rtp.PublishedTrack;
import dev.parley.mediarelay.rtp.TrackSource;
import dev.parley.mediarelay.sdp.Direction;
import dev.parley.mediarelay.sdp.MediaSection;
import dev.parley.mediarelay.sdp.OfferedTracks;
import dev.parley.mediarelay.sdp.SdpAnswerer;
import dev.parley.mediarelay.sdp.SdpOffer;
import dev.parley.mediarelay.sdp.SdpOfferException;
import dev.parley.mediarelay.sdp.SdpParser;
import dev.parley.mediarelay.sdp.SectionAnswer;
import dev.parley.mediarelay.transport.MediaSocket;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The control API signaling negotiates participants' media through ({@code docs/media-relay.md},
 * "The control API"): one session per participant of a call, opened by its first offer and
 * renegotiated by the next ones.
 */
@Path("/api/v1/rooms/{roomId}/participants/{participantId}/session")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class ParticipantSessionResource {

    private final SessionRegistry sessions;
    private final DtlsIdentity certificate;
    private final MediaSocket socket;
    private final MediaRelayConfig config;
    private final ControlClient control;
    private final SecurityIdentity identity;
    private final KeyframeRequester keyframes;
    private final Drain drain;
    private final Cascade cascade;

    ParticipantSessionResource(SessionRegistry sessions, DtlsIdentity certificate, MediaSocket socket,
                               MediaRelayConfig config, ControlClient control, SecurityIdentity identity,
                               KeyframeRequester keyframes, Drain drain, Cascade cascade) {
        this.cascade = cascade;
        this.sessions = sessions;
        this.certificate = certificate;
        this.socket = socket;
        this.config = config;
        this.control = control;
        this.identity = identity;
        this.keyframes = keyframes;
        this.drain = drain;
    }

    /** Opens or renegotiates the participant's session and answers its offer. */
    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    public MediaAnswer negotiate(@PathParam("roomId") String roomId, @PathParam("participantId") String participantId,
                                 @NotNull @Valid MediaOffer body) {
        control.require(identity);
        RoomId room = SessionProblems.room(roomId);
        ParticipantId participant = participant(participantId);
        // A draining relay takes no new rooms; people joining a call it carries still join it here.
        if (drain.draining() && sessions.inRoom(room).isEmpty()) {
            throw SessionProblems.draining();
        }
        SdpOffer offer;
        List<PublishedTrack> tracks;
        try {
            offer = SdpParser.parse(body.sdp());
            tracks = OfferedTracks.of(offer, sources(body.sources()));
        } catch (SdpOfferException e) {
            throw SessionProblems.invalidSdp(e);
        }
        List<MediaSection> receiving = offer.sections().stream()
                .filter(section -> section.isRtp() && section.direction() == Direction.RECVONLY)
                .toList();
        // The room's other relays first, so that this answer's slots can carry their participants' tracks.
        cascade.linkTo(room, body.peers());
        SessionRegistry.Negotiated negotiated;
        try {
            negotiated = sessions.negotiate(room, participant, offer.ice(), offer.fingerprint(), tracks, receiving);
        } catch (SessionRegistry.FullException e) {
            throw SessionProblems.full();
        } catch (SessionRegistry.SsrcConflictException e) {
            throw SessionProblems.conflict(e);
        }
        Session session = negotiated.session();
        cascade.published(room);
        // A subscriber's decoder starts at a keyframe: ask for one on every video stream it newly receives
        // (a simulcast track's best stream, once learned; the selector asks for the one it switches to).
        negotiated.added().stream().filter(feed -> feed.track().kind() == MediaKind.VIDEO)
                .forEach(feed -> feed.publisher().layerSsrc(feed.track(), feed.track().layers() - 1)
                        .ifPresent(ssrc -> keyframes.request(feed.publisher(), ssrc)));
        Map<String, SectionAnswer> plans = new HashMap<>();
        List<MediaAnswer.Subscription> subscriptions = new ArrayList<>();
        negotiated.slots().forEach((mid, slot) -> {
            if (slot.feed().isEmpty()) {
                plans.put(mid, new SectionAnswer.Inactive());
                return;
            }
            Feed feed = slot.feed().get();
            String publisher = feed.publisher().participant().map(ParticipantId::value).orElseThrow();
            PublishedTrack track = feed.track();
            plans.put(mid, new SectionAnswer.Send(publisher, publisher + "-" + track.trackId(), track.ssrc(), track.rtx()));
            subscriptions.add(new MediaAnswer.Subscription(mid, publisher, track.trackId(), wire(track), track.source().wire()));
        });
        String answer = new SdpAnswerer(session.localIce(), certificate.fingerprint(),
                SessionAnswer.Candidate.host(config.candidateAddress(), socket.localAddress().getPort()))
                .answer(offer, session.id().value().getMostSignificantBits() >>> 1, session.nextAnswerVersion(), plans);
        List<MediaAnswer.Track> published = tracks.stream()
                .map(track -> new MediaAnswer.Track(track.trackId(), wire(track), track.source().wire())).toList();
        return new MediaAnswer(answer, published, subscriptions);
    }

    /** Closes the participant's session; 204 also when it has none here. */
    @DELETE
    public Response close(@PathParam("roomId") String roomId, @PathParam("participantId") String participantId) {
        control.require(identity);
        RoomId room = SessionProblems.room(roomId);
        ParticipantId participant = participant(participantId);
        sessions.byParticipant(participant).filter(session -> session.room().orElseThrow().equals(room))
                .ifPresent(session -> sessions.close(session.id()));
        return Response.noContent().build();
    }

    private static String wire(PublishedTrack track) {
        return track.kind().name().toLowerCase(Locale.ROOT);
    }

    private static Map<String, TrackSource> sources(Map<String, String> sources) {
        Map<String, TrackSource> parsed = new LinkedHashMap<>();
        if (sources != null) {
            sources.forEach((mid, source) -> parsed.put(mid, TrackSource.of(source).orElseThrow(() ->
                    SessionProblems.invalid("source '" + source + "' of mid " + mid + " is not microphone, camera or screen"))));
        }
        return parsed;
    }


    private static ParticipantId participant(String participantId) {
        try {
            return new ParticipantId(participantId);
        } catch (IllegalArgumentException e) {
            throw SessionProblems.invalid(e.getMessage());
        }
    }


}
