package dev.parley.testing;

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
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Real access tokens from the real Keycloak, through the resource-owner password grant that the
 * demo realm enables for its service clients (never for the browser client).
 */
public final class Keycloak {

    /** The confidential client the services validate tokens for. */
    public static final String SERVICES_CLIENT = "parley-services";
    private static final String SERVICES_SECRET = "parley-services-secret";
    /** A client whose access tokens live two seconds: for tests of expiry. */
    public static final String SHORT_LIVED_CLIENT = "parley-test-short";
    private static final String SHORT_LIVED_SECRET = "parley-test-short-secret";

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private Keycloak() {
    }

    /** An access token for {@code user}, valid for the realm's usual lifespan. */
    public static String accessToken(DemoUser user) {
        return passwordGrant(SERVICES_CLIENT, SERVICES_SECRET, user);
    }

    /**
     * The services' own access token: the client-credentials grant (RFC 6749 §4.4) of the services
     * client, as signaling uses it for the media relay's control API.
     */
    public static String serviceToken() {
        return token(Map.of("grant_type", "client_credentials", "client_id", SERVICES_CLIENT,
                "client_secret", SERVICES_SECRET), SERVICES_CLIENT);
    }

    /** An access token for {@code user} that expires two seconds after it was issued. */
    public static String shortLivedAccessToken(DemoUser user) {
        return passwordGrant(SHORT_LIVED_CLIENT, SHORT_LIVED_SECRET, user);
    }

    /** The {@code exp} claim of a JWT, read without verifying it. */
    public static Instant expiry(String jwt) {
        return Instant.ofEpochSecond(claims(jwt).path("exp").asLong());
    }

    /** The {@code sub} claim of a JWT, read without verifying it. */
    public static String subject(String jwt) {
        return claims(jwt).path("sub").asText();
    }

    /** The decoded payload of a JWT, without verifying it (tests inspect their own tokens). */
    public static JsonNode claims(String jwt) {
        String[] parts = jwt.split("\\.");
        try {
            return JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
        } catch (IOException e) {
            throw new IllegalArgumentException("not a JWT", e);
        }
    }

    private static String passwordGrant(String clientId, String secret, DemoUser user) {
        return token(Map.of(
                "grant_type", "password",
                "client_id", clientId,
                "client_secret", secret,
                "username", user.username(),
                "password", user.password(),
                "scope", "openid"), user.username());
    }

    private static String token(Map<String, String> parameters, String subject) {
        String form = parameters
                .entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpRequest request = HttpRequest.newBuilder(URI.create(LocalStack.issuer() + "/protocol/openid-connect/token"))
                .timeout(Duration.ofSeconds(15))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build();
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("Keycloak refused a token for " + subject + " via "
                        + parameters.get("client_id") + ": HTTP " + response.statusCode() + " " + response.body());
            }
            return JSON.readTree(response.body()).path("access_token").asText();
        } catch (IOException e) {
            throw new IllegalStateException("Keycloak is not reachable at " + LocalStack.keycloakUrl()
                    + " (start it with dev/stack.sh up keycloak)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while asking Keycloak for a token", e);
        }
    }
}
