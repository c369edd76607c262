package dev.parley.signaling.call;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stand-in for the media relay's control API, so signaling's side of media negotiation can be
 * tested on its own: it records each request and answers what the test told it to. The real relay
 * answers real browsers in tests/system's {@code BrowserCallIT}.
 */
public class FakeRelay implements QuarkusTestResourceLifecycleManager {

    /** One request signaling made. */
    record Request(String method, String path, String authorization, JsonNode body) {
    }

    /** What the next requests are answered with. */
    record Reply(int status, String body) {
    }

    static final List<Request> REQUESTS = new CopyOnWriteArrayList<>();
    static volatile Reply reply = new Reply(503, "{}");
    private static final ObjectMapper JSON = new ObjectMapper();

    private HttpServer server;

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/", this::handle);
        server.start();
        // Relays that other tests or the local stack register in the shared Redis must not take these offers.
        return Map.of("parley.signaling.media.relay-url", "http://127.0.0.1:" + server.getAddress().getPort(),
                "parley.signaling.media.placement", "false");
    }

    private void handle(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        REQUESTS.add(new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                exchange.getRequestHeaders().getFirst("Authorization"),
                body.length == 0 ? null : JSON.readTree(body)));
        Reply answer = reply;
        byte[] out = answer.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(answer.status(), out.length);
        exchange.getResponseBody().write(out);
        exchange.close();
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }
}
