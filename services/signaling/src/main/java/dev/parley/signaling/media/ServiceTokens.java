package dev.parley.signaling.media;

import dev.parley.runtime.identity.ServiceToken;
import io.quarkus.oidc.client.OidcClient;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Signaling's own access token for the relays' control API, from its OIDC client. */
@Singleton
class ServiceTokens {

    @Produces
    @Singleton
    ServiceToken serviceToken(OidcClient client) {
        return new ServiceToken(client);
    }
}
