package dev.parley.client.media.negotiation;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Negotiates as signaling does, through the relay's control API (docs/media-relay.md §4b):
 * {@code PUT /api/v1/rooms/{roomId}/participants/{participantId}/session} with
 * {@code {sdp, sources}} and the control client's service-account token opens the participant's
 * session, and renegotiates it when sent again with the same ICE credentials and fingerprint;
 * the answer says which track each receive-only section carries. {@link #close()} is the
 * {@code DELETE} of the same resource.
 */
public final class ParticipantSessionNegotiator implements Negotiator {

    /** Fields the answer gains later (a newer relay) are ignored. */
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private static final Pattern ROOM_ID = Pattern.compile("[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}");
    private static final Pattern PARTICIPANT_ID = Pattern.compile("p-[a-z2-7]{26}");

    private final HttpClient http;
    private final URI session;
    private final Supplier<String> token;
    private final List<RelayPeer> peers;

    /**
     * {@code relay} as {@code http://127.0.0.1:8083}; {@code roomId} like {@code abcd-efgh-ijkl},
     * {@code participantId} {@code p-} and 26 base32 letters; {@code token} a service-account token
     * of the control client ({@link ServiceAccountToken}).
     */
    public ParticipantSessionNegotiator(HttpClient http, URI relay, String roomId, String participantId,
                                        Supplier<String> token) {
        this(http, relay, roomId, participantId, token, List.of());
    }

    /**
     * As signaling negotiates for a room that spans several relays: each offer names the room's
     * other relays ({@code peers}), which the relay links with (docs/media-relay.md, "Cascading").
     */
    public ParticipantSessionNegotiator(HttpClient http, URI relay, String roomId, String participantId,
                                        Supplier<String> token, List<RelayPeer> peers) {
        if (!ROOM_ID.matcher(roomId).matches() || !PARTICIPANT_ID.matcher(participantId).matches()) {
            throw new IllegalArgumentException("room ids look like abcd-efgh-ijkl, participant ids p- and 26 base32 letters");
        }
        this.http = http;
        this.session = relay.resolve("/api/v1/rooms/" + roomId + "/participants/" + participantId + "/session");
        this.token = token;
        this.peers = List.copyOf(peers);
    }

    @Override
    public Answer negotiate(String offer, Map<String, String> sources) throws IOException, InterruptedException {
        String body = JSON.writeValueAsString(peers.isEmpty() ? Map.of("sdp", offer, "sources", sources)
                : Map.of("sdp", offer, "sources", sources, "peers", peers));
        HttpRequest request = HttpRequest.newBuilder(session)
                .timeout(Duration.ofSeconds(15))
                .header("Authorization", "Bearer " + token.get())
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new NegotiationException(response.statusCode(), response.body());
        }
        JsonNode answer = JSON.readTree(response.body());
        List<Subscription> subscriptions = JSON.convertValue(answer.path("subscriptions"),
                new TypeReference<List<Subscription>>() { });
        return new Answer(answer.path("sdp").asText(), subscriptions == null ? List.of() : subscriptions);
    }

    @Override
    public void close() throws IOException {
        HttpRequest request = HttpRequest.newBuilder(session)
                .timeout(Duration.ofSeconds(15))
                .header("Authorization", "Bearer " + token.get())
                .DELETE().build();
        HttpResponse<String> response = Http.sendOnClose(http, request);
        if (response.statusCode() != 204) {
            throw new NegotiationException(response.statusCode(), response.body());
        }
    }
}
