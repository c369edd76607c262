package dev.parley.bench.signaling;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** The REST calls that set a call up: rooms, invite links, redemptions (docs/rest-api.md). */
final class RestApi {

    private static final int REDEEM_ATTEMPTS = 30;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();

    /** Creates a room without a lobby; returns its id. */
    String createRoom(String baseUrl, String token, String name, int maxParticipants)
            throws IOException, InterruptedException {
        ObjectNode body = json.createObjectNode().put("name", name).put("lobby", false)
                .put("maxParticipants", maxParticipants);
        return post(baseUrl + "/api/v1/rooms", token, body, 201).path("id").asText();
    }

    /** Creates a guest invite link usable {@code maxUses} times; returns its code. */
    String createGuestInvite(String baseUrl, String token, String roomId, int maxUses)
            throws IOException, InterruptedException {
        ObjectNode body = json.createObjectNode().put("role", "guest").put("maxUses", maxUses);
        return post(baseUrl + "/api/v1/rooms/" + roomId + "/invites", token, body, 201).path("code").asText();
    }

    /**
     * Redeems {@code code} as a guest named {@code displayName}; returns the guest token. Retries
     * what the API says to retry ({@code 503 busy}, {@code 429}) and a {@code 404} right after the
     * invite was created (another replica's view may lag the log by a few milliseconds).
     */
    String redeem(String baseUrl, String code, String displayName) throws IOException, InterruptedException {
        ObjectNode body = json.createObjectNode().put("displayName", displayName);
        for (int attempt = 1; ; attempt++) {
            HttpResponse<String> response = http.send(request(baseUrl + "/api/v1/invites/" + code + "/redeem", null, body),
                    HttpResponse.BodyHandlers.ofString());
            int status = response.statusCode();
            if (status == 200) {
                return json.readTree(response.body()).path("guestToken").asText();
            }
            boolean retry = status == 503 || status == 429 || status == 404;
            if (!retry || attempt >= REDEEM_ATTEMPTS) {
                throw new IllegalStateException("redeem " + code + " answered " + status + " " + response.body());
            }
            long wait = response.headers().firstValueAsLong("Retry-After").orElse(0) * 1000;
            Thread.sleep(Math.max(wait, status == 404 ? 100 : 250));
        }
    }

    /**
     * Guest tokens for {@code count} guests: guest {@code i} redeems {@code codes.get(codeOf(i))}
     * at {@code baseUrls.get(i % size)}, {@code concurrency} at a time.
     */
    List<String> redeemMany(int count, java.util.function.IntFunction<String> codeFor, List<String> baseUrls,
                            String namePrefix, int concurrency) throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        try {
            List<Future<String>> tokens = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                int guest = i;
                tokens.add(pool.submit(() -> redeem(baseUrls.get(guest % baseUrls.size()), codeFor.apply(guest),
                        namePrefix + " " + guest)));
            }
            List<String> result = new ArrayList<>(count);
            for (Future<String> token : tokens) {
                try {
                    result.add(token.get());
                } catch (java.util.concurrent.ExecutionException e) {
                    throw new IllegalStateException("a redemption failed: " + e.getCause().getMessage(), e.getCause());
                }
            }
            return result;
        } finally {
            pool.shutdownNow();
        }
    }

    private JsonNode post(String url, String token, JsonNode body, int expected) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request(url, token, body), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expected) {
            throw new IllegalStateException("POST " + url + " answered " + response.statusCode() + " " + response.body());
        }
        return json.readTree(response.body());
    }

    private HttpRequest request(String url, String token, JsonNode body) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        return builder.build();
    }
}
