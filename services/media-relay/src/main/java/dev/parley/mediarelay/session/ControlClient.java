package dev.parley.mediarelay.session;

import dev.parley.mediarelay.MediaRelayConfig;
import dev.parley.runtime.problem.Problem;
import dev.parley.runtime.problem.ProblemException;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Only signaling may place participants on the relay: a valid realm token is not enough (every
 * user has one), it must be the service account of the control client, which Keycloak issues
 * through the client-credentials grant (RFC 6749 §4.4) and names {@code service-account-<client>}.
 * A browser talking to the relay directly could otherwise open sessions in any room.
 */
@ApplicationScoped
public class ControlClient {

    private static final String SERVICE_ACCOUNT_PREFIX = "service-account-";

    private final String serviceAccount;

    ControlClient(MediaRelayConfig config) {
        this.serviceAccount = SERVICE_ACCOUNT_PREFIX + config.controlClient();
    }

    /** Refuses the request with 403 {@code not-a-control-client} unless {@code identity} is the control client. */
    public void require(SecurityIdentity identity) {
        if (!(identity.getPrincipal() instanceof JsonWebToken token)
                || !serviceAccount.equals(token.getClaim("preferred_username"))) {
            throw new ProblemException(Problem.of("not-a-control-client", "Not the control client",
                    Response.Status.FORBIDDEN, "only signaling's service account may negotiate media sessions"));
        }
    }
}
