package dev.parley.mediarelay.cascade;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.mediarelay.session.RoomId;
import dev.parley.runtime.identity.ServiceToken;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * This relay's calls to another relay's link API ({@code docs/media-relay.md}, "Cascading"), with
 * its service-account token. Calls block: they come from request and worker threads, never from
 * the media thread.
 */
@Singleton
class LinkClient {

    /**
     * A link request that takes longer than this fails: the participant is answered without it,
     * well inside signaling's own deadline for the answer (5 s), and the next offer tries again.
     */
    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private final ServiceToken token;
    private final ObjectMapper json;

    LinkClient(ServiceToken token, ObjectMapper json) {
        this.token = token;
        this.json = json;
    }

    /** A call the other relay refused or could not take: its status (0 when unreachable) and detail. */
    static final class LinkCallException extends Exception {
        private final int status;

        LinkCallException(int status, String detail) {
            super(detail, null, false, false);
            this.status = status;
        }

        int status() {
            return status;
        }
    }

    /** {@code POST /api/v1/rooms/{room}/links}: opens (or re-keys) the link. */
    LinkAnswer open(URI peer, RoomId room, LinkOffer offer) throws LinkCallException {
        HttpResponse<String> response = send(peer, "/api/v1/rooms/" + room + "/links", "POST", body(offer), true);
        if (response.statusCode() != 200) {
            throw new LinkCallException(response.statusCode(), response.body());
        }
        try {
            return json.readValue(response.body(), LinkAnswer.class);
        } catch (JsonProcessingException e) {
            throw new LinkCallException(response.statusCode(), "unreadable link answer: " + e.getOriginalMessage());
        }
    }

    /** {@code PUT /api/v1/rooms/{room}/links/{self}/tracks}: tells the other relay this one's tracks. */
    void tell(URI peer, RoomId room, String self, LinkTracks tracks) throws LinkCallException {
        HttpResponse<String> response = send(peer, "/api/v1/rooms/" + room + "/links/" + self + "/tracks", "PUT",
                body(tracks), true);
        if (response.statusCode() != 204) {
            throw new LinkCallException(response.statusCode(), response.body());
        }
    }

    /** {@code PUT /api/v1/rooms/{room}/links/{self}/receiving}: tells the other relay which of its tracks this one's participants receive. */
    void receiving(URI peer, RoomId room, String self, LinkReceiving receiving) throws LinkCallException {
        HttpResponse<String> response = send(peer, "/api/v1/rooms/" + room + "/links/" + self + "/receiving", "PUT",
                body(receiving), true);
        if (response.statusCode() != 204) {
            throw new LinkCallException(response.statusCode(), response.body());
        }
    }

    /** {@code DELETE /api/v1/rooms/{room}/links/{self}}: this relay has no participant of the room left. */
    void close(URI peer, RoomId room, String self) throws LinkCallException {
        HttpResponse<String> response = send(peer, "/api/v1/rooms/" + room + "/links/" + self, "DELETE", null, true);
        if (response.statusCode() != 204) {
            throw new LinkCallException(response.statusCode(), response.body());
        }
    }

    private String body(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a link message does not serialise", e);
        }
    }

    private HttpResponse<String> send(URI peer, String path, String method, String body, boolean retryAuth)
            throws LinkCallException {
        String bearer;
        try {
            bearer = token.get();
        } catch (RuntimeException e) {
            throw new LinkCallException(0, "no service token: " + e);
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(peer.toString().replaceAll("/+$", "") + path))
                .timeout(TIMEOUT)
                .header("Authorization", "Bearer " + bearer);
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new LinkCallException(0, peer + " is unreachable: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LinkCallException(0, "interrupted");
        }
        if (response.statusCode() == 401 && retryAuth) {
            token.refused(bearer);
            return send(peer, path, method, body, false);
        }
        return response;
    }
}
