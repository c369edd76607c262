package dev.parley.runtime.guest;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

import java.util.Set;

/**
 * Accepts Parley guest tokens as bearer tokens. It runs before the Keycloak (OIDC) mechanism:
 * a token whose header says it is a guest token is verified here, and anything else is left to
 * Keycloak validation, so both kinds of caller use the same {@code Authorization: Bearer} header.
 *
 * <p>A guest's identity has the role {@code guest} and the attributes {@code room} and
 * {@code displayName}; resources check the room themselves.
 *
 * <p>Not a bean by itself (services without guests must not need guest tokens): a service that
 * accepts guests produces one from its {@link GuestTokens}.
 */
public class GuestAuthenticationMechanism implements HttpAuthenticationMechanism {

    public static final String ROLE = "guest";
    public static final String ROOM_ATTRIBUTE = "room";
    public static final String NAME_ATTRIBUTE = "displayName";
    private static final String BEARER = "Bearer ";

    private final GuestTokens tokens;

    public GuestAuthenticationMechanism(GuestTokens tokens) {
        this.tokens = tokens;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identityProviderManager) {
        String authorization = context.request().getHeader(HttpHeaders.AUTHORIZATION);
        if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return Uni.createFrom().nullItem();
        }
        String token = authorization.substring(BEARER.length()).trim();
        if (!GuestTokens.looksLikeGuestToken(token)) {
            return Uni.createFrom().nullItem();
        }
        return tokens.verify(token)
                .map(guest -> Uni.createFrom().<SecurityIdentity>item(QuarkusSecurityIdentity.builder()
                        .setPrincipal(new QuarkusPrincipal(guest.userId().value()))
                        .addRole(ROLE)
                        .addAttribute(ROOM_ATTRIBUTE, guest.roomId())
                        .addAttribute(NAME_ATTRIBUTE, guest.displayName())
                        .build()))
                .orElseGet(() -> Uni.createFrom().failure(new AuthenticationFailedException("invalid guest token")));
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(new ChallengeData(401, "WWW-Authenticate", "Bearer"));
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of();
    }

    @Override
    public int getPriority() {
        // Above the OIDC mechanism's default, so guest tokens never reach Keycloak validation.
        return DEFAULT_PRIORITY + 100;
    }
}
