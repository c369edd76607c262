package dev.parley.mediarelay.cascade;

import io.quarkus.oidc.client.OidcClient;
import io.quarkus.oidc.client.Tokens;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.time.Duration;

/**
 * The relay's own access token for the other relays' control API: the control client's service
 * account (client-credentials grant, RFC 6749 §4.4), which is all the link API accepts; kept until
 * shortly before it expires.
 */
@ApplicationScoped
class LinkToken {

    private static final Duration MARGIN = Duration.ofSeconds(30);
    private static final Duration DEADLINE = Duration.ofSeconds(5);

    private final OidcClient client;
    private final Clock clock = Clock.systemUTC();
    private Tokens tokens;

    LinkToken(OidcClient client) {
        this.client = client;
    }

    synchronized String get() {
        if (tokens == null || expiresSoon(tokens)) {
            tokens = client.getTokens().await().atMost(DEADLINE);
        }
        return tokens.getAccessToken();
    }

    /** Forgets a token the other relay refused; the next call fetches another. */
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
