package dev.parley.signaling.invite;

import dev.parley.events.identity.UserId;
import dev.parley.events.invite.InviteCode;
import dev.parley.runtime.problem.Problem;
import dev.parley.runtime.problem.ProblemException;
import dev.parley.runtime.ratelimit.RateLimiter;
import dev.parley.signaling.SignalingConfig;
import dev.parley.runtime.guest.GuestAuthenticationMechanism;
import dev.parley.runtime.identity.SsoName;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.ext.web.RoutingContext;
import jakarta.annotation.security.PermitAll;
import jakarta.validation.Valid;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.time.Duration;
import java.util.Optional;

/**
 * Redeeming an invite link: open to anyone holding the link. Signed-in users send their Keycloak
 * token; people without an account send a display name and receive a guest token. Limited per
 * client address, since callers may be anonymous.
 */
@Path("/api/v1/invites/{code}/redeem")
@PermitAll
@Produces(MediaType.APPLICATION_JSON)
public class RedeemResource {

    private final InviteRedemption redemption;
    private final SecurityIdentity caller;
    private final RateLimiter limiter;
    private final SignalingConfig config;
    private final MeterRegistry metrics;

    RedeemResource(InviteRedemption redemption, SecurityIdentity caller, RateLimiter limiter, SignalingConfig config,
                   MeterRegistry metrics) {
        this.redemption = redemption;
        this.caller = caller;
        this.limiter = limiter;
        this.config = config;
        this.metrics = metrics;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Redemption redeem(@PathParam("code") String code, @Valid RedeemRequest request, RoutingContext http) {
        limiter.acquire("invite-redeem", http.request().remoteAddress().hostAddress(), config.invites().redemptionsPerMinute(),
                Duration.ofMinutes(1));
        InviteCode invite = InviteCodeParam.parse(code);
        if (caller.hasRole(GuestAuthenticationMechanism.ROLE)) {
            throw new ProblemException(Problem.of("forbidden", "Not allowed", Response.Status.FORBIDDEN,
                    "A guest token cannot redeem invites; open the link without it."));
        }
        Redemption granted = redemption.redeem(invite, ssoCaller(), request);
        metrics.counter("parley.invite.redemptions", "role", granted.role().wireName()).increment();
        return granted;
    }

    private Optional<InviteRedemption.SsoCaller> ssoCaller() {
        if (caller.isAnonymous()) {
            return Optional.empty();
        }
        return Optional.of(new InviteRedemption.SsoCaller(new UserId(caller.getPrincipal().getName()),
                SsoName.of(caller)));
    }
}
