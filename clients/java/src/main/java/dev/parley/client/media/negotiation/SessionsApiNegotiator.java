package dev.parley.client.media.negotiation;

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

/**
 * Negotiates through the relay's session API ({@code POST /api/v1/sessions} with
 * {@code {roomId, offer}}, docs/media-relay.md §4a): one offer opens a session in a room, and the
 * relay forwards every SSRC of it to every other session of the room, so there is nothing to
 * renegotiate and no slot assignment ({@link Answer#subscriptions()} is empty). A second offer
 * is refused here.
 */
public final class SessionsApiNegotiator implements Negotiator {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final URI relay;
    private final String roomId;
    private final Supplier<String> token;
    private String sessionId;

    /** {@code relay} as {@code http://127.0.0.1:8083}; {@code token} any valid Keycloak access token. */
    public SessionsApiNegotiator(HttpClient http, URI relay, String roomId, Supplier<String> token) {
        this.http = http;
        this.relay = relay;
        this.roomId = roomId;
        this.token = token;
    }

    @Override
    public Answer negotiate(String offer, Map<String, String> sources) throws IOException, InterruptedException {
        if (sessionId != null) {
            throw new IllegalStateException("the sessions API cannot renegotiate a session");
        }
        String body = JSON.writeValueAsString(Map.of("roomId", roomId, "offer", offer));
        HttpRequest request = HttpRequest.newBuilder(relay.resolve("/api/v1/sessions"))
                .timeout(Duration.ofSeconds(15))
                .header("Authorization", "Bearer " + token.get())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 201) {
            throw new NegotiationException(response.statusCode(), response.body());
        }
        JsonNode answer = JSON.readTree(response.body());
        sessionId = answer.path("sessionId").asText();
        return new Answer(answer.path("answer").asText(), List.of());
    }

    @Override
    public void close() throws IOException {
        if (sessionId == null) {
            return;
        }
        HttpRequest request = HttpRequest.newBuilder(relay.resolve("/api/v1/sessions/" + sessionId))
                .timeout(Duration.ofSeconds(15))
                .header("Authorization", "Bearer " + token.get())
                .DELETE().build();
        HttpResponse<String> response = Http.sendOnClose(http, request);
        if (response.statusCode() != 204 && response.statusCode() != 404) {
            throw new NegotiationException(response.statusCode(), response.body());
        }
        sessionId = null;
    }
}
