package dev.parley.client.media.negotiation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The requests the negotiator makes of the relay's control API, as docs/media-relay.md §4b states
 * the contract, against a local HTTP server that records them and answers as the relay does.
 */
class ParticipantSessionNegotiatorTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ROOM = "abcd-efgh-ijkl";
    private static final String PARTICIPANT = "p-abcdefghijklmnopqrstuvwxyz";
    private static final String PATH = "/api/v1/rooms/" + ROOM + "/participants/" + PARTICIPANT + "/session";

    private final List<String> requests = new ArrayList<>();
    private HttpServer server;
    private int status = 200;
    private String reply = "";

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " "
                    + exchange.getRequestHeaders().getFirst("Authorization") + " "
                    + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            byte[] body = reply.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void putsTheOfferWithSourcesAndReadsTheAnswerAndItsSubscriptions() throws Exception {
        reply = """
                {"sdp": "v=0\\r\\n", "published": [{"trackId": "0", "kind": "audio", "source": "microphone"}],
                 "subscriptions": [{"mid": "2", "participantId": "p-7abcdefghijklmnopqrstuvwxy", "trackId": "1",
                                    "kind": "video", "source": "camera"}]}""";
        Negotiator negotiator = negotiator();

        Answer answer = negotiator.negotiate("v=0\r\noffer", Map.of("0", "microphone"));

        assertThat(answer.sdp()).isEqualTo("v=0\r\n");
        assertThat(answer.subscriptions()).containsExactly(
                new Subscription("2", "p-7abcdefghijklmnopqrstuvwxy", "1", "video", "camera"));
        String request = requests.get(0);
        assertThat(request).startsWith("PUT " + PATH + " Bearer token-1 ");
        JsonNode body = JSON.readTree(request.substring(request.indexOf('{')));
        assertThat(body.path("sdp").asText()).isEqualTo("v=0\r\noffer");
        assertThat(body.path("sources").path("0").asText()).isEqualTo("microphone");

        status = 204;
        reply = "";
        negotiator.close();
        assertThat(requests.get(1)).startsWith("DELETE " + PATH + " Bearer token-1");
    }

    @Test
    void aRefusalCarriesTheStatusAndProblem() {
        status = 409;
        reply = "{\"type\":\"ssrc-conflict\"}";
        assertThatThrownBy(() -> negotiator().negotiate("v=0\r\n", Map.of()))
                .isInstanceOfSatisfying(NegotiationException.class, e -> assertThat(e.status()).isEqualTo(409))
                .hasMessageContaining("ssrc-conflict");
    }

    @Test
    void idsMustHaveTheirFormats() {
        URI relay = URI.create("http://127.0.0.1:1");
        assertThatThrownBy(() -> new ParticipantSessionNegotiator(HttpClient.newHttpClient(), relay, "room-1", PARTICIPANT,
                () -> "t")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ParticipantSessionNegotiator(HttpClient.newHttpClient(), relay, ROOM, "p-1",
                () -> "t")).isInstanceOf(IllegalArgumentException.class);
    }

    private Negotiator negotiator() {
        URI relay = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        return new ParticipantSessionNegotiator(HttpClient.newHttpClient(), relay, ROOM, PARTICIPANT, () -> "token-1");
    }
}
