package dev.parley.client.media.negotiation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * An access token of a Keycloak service account, from the client-credentials grant (RFC 6749
 * §4.4) at the realm's token endpoint, fetched again once half its lifetime has passed. The
 * relay's control API takes only the control client's service account ({@code parley-services}).
 */
public final class ServiceAccountToken implements Supplier<String> {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final URI tokenEndpoint;
    private final String clientId;
    private final String clientSecret;
    private String token;
    private long refreshAtNanos;

    /** {@code realmUrl} as {@code http://127.0.0.1:8180/realms/parley}. */
    public ServiceAccountToken(HttpClient http, String realmUrl, String clientId, String clientSecret) {
        this.http = http;
        this.tokenEndpoint = URI.create(realmUrl + "/protocol/openid-connect/token");
        this.clientId = clientId;
        this.clientSecret = clientSecret;
    }

    @Override
    public synchronized String get() {
        if (token == null || System.nanoTime() - refreshAtNanos > 0) {
            fetch();
        }
        return token;
    }

    private void fetch() {
        String form = "grant_type=client_credentials&client_id=" + URLEncoder.encode(clientId, StandardCharsets.UTF_8)
                + "&client_secret=" + URLEncoder.encode(clientSecret, StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(tokenEndpoint).timeout(Duration.ofSeconds(15))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("the token endpoint answered " + response.statusCode() + ": " + response.body());
            }
            JsonNode body = JSON.readTree(response.body());
            token = body.path("access_token").asText();
            long lifetime = body.path("expires_in").asLong(60);
            refreshAtNanos = System.nanoTime() + Duration.ofSeconds(lifetime / 2).toNanos();
        } catch (IOException e) {
            throw new IllegalStateException("cannot reach " + tokenEndpoint, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while fetching a token", e);
        }
    }
}
