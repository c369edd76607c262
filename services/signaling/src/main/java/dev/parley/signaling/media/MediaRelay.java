package dev.parley.signaling.media;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.events.EventJson;
import dev.parley.events.call.MediaTrack;
import dev.parley.events.call.ParticipantId;
import dev.parley.events.room.RoomId;
import dev.parley.runtime.identity.ServiceToken;
import dev.parley.signaling.SignalingConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Signaling's side of the media relay's control API ({@code docs/media-relay.md}): one HTTP
 * request per offer, answered with the relay's SDP answer. A direct request/reply keeps the join
 * path to one hop of about a millisecond, with nothing between signaling and the relay to queue
 * behind ({@code docs/architecture.md}, "Media negotiation"). The relay is the room's
 * ({@link RelayPlacement}). Calls block: they come from the call socket's worker threads.
 */
@ApplicationScoped
public class MediaRelay {

    private static final Logger LOG = Logger.getLogger(MediaRelay.class);

    private final RelayPlacement placement;
    private final ParticipantPlacement participants;
    private final Duration timeout;
    private final ServiceToken token;
    private final ObjectMapper json = EventJson.mapper();
    private final HttpClient http;
    private final Timer negotiations;

    MediaRelay(SignalingConfig config, RelayPlacement placement, ParticipantPlacement participants, ServiceToken token,
               MeterRegistry metrics) {
        this.placement = placement;
        this.participants = participants;
        this.timeout = config.media().timeout();
        this.token = token;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
        this.negotiations = Timer.builder("parley.media.negotiations")
                .description("Offers answered by the media relay, from request to answer")
                .publishPercentiles(0.5, 0.99)
                .register(metrics);
    }

    /**
     * Opens or renegotiates the participant's session on its relay: the room's, or in a room that
     * spans several relays the one placed for it by {@code region} (empty: none stated) and load,
     * told the room's other relays as {@code peers} to link with.
     */
    public RelayAnswer negotiate(RoomId room, ParticipantId participant, String sdp, Map<String, String> sources,
                                 Optional<String> region) {
        ObjectNode body = json.createObjectNode().put("sdp", sdp);
        body.set("sources", json.valueToTree(sources));
        long started = System.nanoTime();
        ParticipantPlacement.Placed placed = participants.place(room, participant, region);
        if (!placed.peers().isEmpty()) {
            ArrayNode peers = body.putArray("peers");
            placed.peers().forEach(peer -> peers.addObject().put("relayId", peer.id())
                    .put("controlUrl", peer.controlUrl().toString()));
        }
        RelayPlacement.Placement relay = placed.relay();
        HttpResponse<String> response = sendTo(relay, room, participant, body.toString());
        if (relay.fresh() && refusesNewRooms(response)) {
            // Its heartbeat was older than its drain or its last free session: try the next relay, once.
            Optional<RelayPlacement.Placement> next = placement.replace(room, relay);
            if (next.isPresent()) {
                relay = next.get();
                response = sendTo(relay, room, participant, body.toString());
            }
        }
        negotiations.record(Duration.ofNanos(System.nanoTime() - started));
        int status = response.statusCode();
        if (status == 200) {
            return answer(response.body());
        }
        String detail = detail(response.body());
        if (status == 400 || status == 409) {
            throw new RelayRefusal(true, detail);
        }
        LOG.warnf("the media relay at %s answered %d to an offer of %s: %s", relay.controlUrl(), status, participant, detail);
        throw new RelayRefusal(false, status == 503 ? "the media relay takes no new participants now (full or draining); retry"
                : "the media relay cannot take offers right now; retry");
    }

    /** {@link #send}, naming the registered relay when it cannot be reached at all. */
    private HttpResponse<String> sendTo(RelayPlacement.Placement relay, RoomId room, ParticipantId participant,
                                        String body) {
        try {
            return send(relay.controlUrl(), room, participant, "session", body, true);
        } catch (RelayRefusal e) {
            throw e.isUnreachable() && relay.relayId() != null ? e.lost(relay.relayId()) : e;
        }
    }

    /**
     * Tells the room's relay how large the participant renders each track it receives, by mid
     * ({@code PUT …/layout}, docs/media-relay.md §5c); a relay without the participant's session
     * (its first offer is not answered yet) ignores it, as the client sends it again after answers.
     */
    public void layout(RoomId room, ParticipantId participant, Map<String, TrackLayout> tracks) {
        ObjectNode body = json.createObjectNode();
        ObjectNode sizes = body.putObject("tracks");
        tracks.forEach((mid, size) -> sizes.putObject(mid).put("width", size.width()).put("height", size.height()));
        RelayPlacement.Placement relay = placement.place(room);
        HttpResponse<String> response = send(relay.controlUrl(), room, participant, "layout", body.toString(), true);
        int status = response.statusCode();
        if (status != 204 && status != 404) {
            LOG.warnf("the media relay at %s answered %d to a layout of %s: %s", relay.controlUrl(), status, participant,
                    detail(response.body()));
            throw new RelayRefusal(status == 400, status == 400 ? detail(response.body())
                    : "the media relay cannot take the layout right now; retry");
        }
    }

    private HttpResponse<String> send(URI relay, RoomId room, ParticipantId participant, String resource, String body,
                                      boolean retryAuth) {
        String bearer;
        try {
            bearer = token.get();
        } catch (RuntimeException e) {
            LOG.warnf("no service token for the media relay: %s", e.toString());
            throw new RelayRefusal(false, "the media relay cannot be reached right now; retry");
        }
        HttpRequest request = HttpRequest.newBuilder(relay.resolve("/api/v1/rooms/" + room.value() + "/participants/"
                        + participant.value() + "/" + resource))
                .timeout(timeout)
                .header("Authorization", "Bearer " + bearer)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body))
                .build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException | HttpConnectTimeoutException e) {
            LOG.warnf("the media relay at %s refuses connections: %s", relay, e.toString());
            throw RelayRefusal.unreachable("the media relay cannot be reached right now; retry");
        } catch (IOException e) {
            LOG.warnf("the media relay at %s is unreachable: %s", relay, e.toString());
            throw new RelayRefusal(false, "the media relay cannot be reached right now; retry");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RelayRefusal(false, "interrupted while waiting for the media relay");
        }
        if (response.statusCode() == 401 && retryAuth) {
            token.refused(bearer);
            return send(relay, room, participant, resource, body, false);
        }
        return response;
    }

    /** 503 {@code relay-draining} or {@code relay-full}: the relay takes no new participants, another might. */
    private boolean refusesNewRooms(HttpResponse<String> response) {
        if (response.statusCode() != 503) {
            return false;
        }
        try {
            String type = json.readTree(response.body()).path("type").asText();
            return type.endsWith("/relay-draining") || type.endsWith("/relay-full");
        } catch (JsonProcessingException e) {
            return false;
        }
    }

    private RelayAnswer answer(String body) {
        try {
            JsonNode answer = json.readTree(body);
            List<MediaTrack> published = new ArrayList<>();
            for (JsonNode track : answer.path("published")) {
                published.add(json.treeToValue(track, MediaTrack.class));
            }
            return new RelayAnswer(answer.path("sdp").asText(), published, answer.path("subscriptions"));
        } catch (JsonProcessingException | IllegalArgumentException e) {
            LOG.warnf("the media relay's answer does not parse: %s", e.toString());
            throw new RelayRefusal(false, "the media relay's answer was unreadable; retry");
        }
    }

    private String detail(String body) {
        try {
            return json.readTree(body).path("detail").asText("no detail");
        } catch (JsonProcessingException e) {
            return "no detail";
        }
    }
}
