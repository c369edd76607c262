package dev.parley.signaling.call;

import dev.parley.events.identity.UserId;
import dev.parley.runtime.guest.GuestTokens;
import dev.parley.runtime.identity.SsoName;
import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.oidc.TenantIdentityProvider;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Checks the token a client sends in {@code hello}: a guest token issued by this deployment, or a
 * Keycloak access token verified exactly as the REST API verifies it. Browsers cannot set headers
 * on a WebSocket, so the token travels in the first message instead of the upgrade request.
 */
@ApplicationScoped
public class HelloAuthenticator {

    private final GuestTokens guests;
    private final TenantIdentityProvider keycloak;

    HelloAuthenticator(GuestTokens guests, TenantIdentityProvider keycloak) {
        this.guests = guests;
        this.keycloak = keycloak;
    }

    /** The participant the token proves, or a failed {@code Uni} when it proves nothing. */
    public Uni<Caller> authenticate(String token) {
        if (GuestTokens.looksLikeGuestToken(token)) {
            return guests.verify(token)
                    .map(guest -> Uni.createFrom().item(
                            new Caller(guest.userId(), guest.displayName(), false, guest.roomId())))
                    .orElseGet(() -> Uni.createFrom().failure(new IllegalArgumentException("invalid guest token")));
        }
        return keycloak.authenticate(new AccessTokenCredential(token)).map(identity ->
                new Caller(new UserId(identity.getPrincipal().getName()), SsoName.of(identity), true, null));
    }
}
