package dev.parley.runtime.identity;

import io.quarkus.oidc.client.OidcClient;
import io.quarkus.oidc.client.Tokens;

import java.time.Clock;
import java.time.Duration;

/**
 * A service's own access token for calling another service's service-account-only API (signaling
 * calling a relay, a relay calling another relay): the client-credentials grant (RFC 6749 §4.4),
 * kept until shortly before it expires, so a call pays for a token request once per token
 * lifetime, not each time. Not a bean, since only some services have an OIDC client: each of
 * those produces one from its {@link OidcClient}.
 */
public final class ServiceToken {

    /** Renew this long before expiry, so a token never expires between here and the callee. */
    private static final Duration MARGIN = Duration.ofSeconds(30);
    private static final Duration DEADLINE = Duration.ofSeconds(5);

    private final OidcClient client;
    private final Clock clock = Clock.systemUTC();
    private Tokens tokens;

    public ServiceToken(OidcClient client) {
        this.client = client;
    }

    public synchronized String get() {
        if (tokens == null || expiresSoon(tokens)) {
            tokens = client.getTokens().await().atMost(DEADLINE);
        }
        return tokens.getAccessToken();
    }

    /** Forgets a token the callee refused (e.g. after a key rotation): the next call fetches another. */
    public synchronized void refused(String token) {
        if (tokens != null && tokens.getAccessToken().equals(token)) {
            tokens = null;
        }
    }

    private boolean expiresSoon(Tokens held) {
        Long expiresAt = held.getAccessTokenExpiresAt();
        return expiresAt != null && clock.instant().plus(MARGIN).getEpochSecond() >= expiresAt;
    }
}
