package dev.parley.mediarelay.cascade;

import dev.parley.runtime.identity.ServiceToken;
import io.quarkus.oidc.client.OidcClient;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * The relay's own access token for the other relays' link API: the control client's service
 * account, which is all that API accepts.
 */
@Singleton
class LinkTokens {

    @Produces
    @Singleton
    ServiceToken linkToken(OidcClient client) {
        return new ServiceToken(client);
    }
}
