package dev.parley.signaling.media;

import io.quarkus.oidc.client.OidcClient;
import io.quarkus.oidc.client.Tokens;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.time.Duration;

/**
 * Signaling's own access token (the client-credentials grant, RFC 6749 §4.4), kept until shortly
 * before it expires, so an offer pays for a token request once per token lifetime, not each time.
 */
@ApplicationScoped
class ServiceToken {

    /** Renew this long before expiry, so a token never expires between here and the relay. */
    private static final Duration MARGIN = Duration.ofSeconds(30);
    private static final Duration DEADLINE = Duration.ofSeconds(5);

    private final OidcClient client;
    private final Clock clock = Clock.systemUTC();
    private Tokens tokens;

    ServiceToken(OidcClient client) {
        this.client = client;
    }

    synchronized String get() {
        if (tokens == null || expiresSoon(tokens)) {
            tokens = client.getTokens().await().atMost(DEADLINE);
        }
        return tokens.getAccessToken();
    }

    /** Forgets the token the relay refused (e.g. after a key rotation): the next call fetches another. */
    synchronized void refused(String token) {
        if (tokens != null && tokens.getAccessToken().equals(token)) {
            tokens = null;
        }
    }

    private boolean expiresSoon(Tokens held) {
        Long expiresAt = held.getAccessTokenExpiresAt();
        return expiresAt != null && clock.instant().plus(MARGIN).getEpochSecond() >= expiresAt;
    }
}
