package dev.parley.signaling.invite;

import dev.parley.events.Topic;
import dev.parley.events.identity.UserId;
import dev.parley.events.invite.InviteCode;
import dev.parley.events.invite.InviteRedeemed;
import dev.parley.events.invite.InviteRole;
import dev.parley.events.invite.InviteState;
import dev.parley.events.room.RoomState;
import dev.parley.runtime.problem.Problem;
import dev.parley.runtime.problem.ProblemException;
import dev.parley.signaling.guest.GuestIdentity;
import dev.parley.signaling.guest.GuestTokens;
import dev.parley.signaling.log.EntityLock;
import dev.parley.signaling.log.EventLog;
import dev.parley.signaling.room.RoomDirectory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * Turns an invite link into a place in a room: a signed-in user keeps their SSO identity; someone
 * without an account gets a guest identity and a guest token for that one room.
 *
 * <p>Uses are counted under {@link EntityLock}: the count is read, checked against the maximum,
 * and the next count recorded on the invites topic before anyone else may redeem the same link.
 */
@ApplicationScoped
public class InviteRedemption {

    private final InviteDirectory invites;
    private final RoomDirectory rooms;
    private final EntityLock lock;
    private final EventLog log;
    private final GuestTokens guestTokens;
    private final SecureRandom random = new SecureRandom();
    private final Clock clock = Clock.systemUTC();

    InviteRedemption(InviteDirectory invites, RoomDirectory rooms, EntityLock lock, EventLog log,
                     GuestTokens guestTokens) {
        this.invites = invites;
        this.rooms = rooms;
        this.lock = lock;
        this.log = log;
        this.guestTokens = guestTokens;
    }

    /**
     * @param signedIn the caller's SSO identity, or empty for someone without an account
     */
    public Redemption redeem(InviteCode code, Optional<SsoCaller> signedIn, RedeemRequest request) {
        Instant now = clock.instant();
        InviteState invite = invites.find(code).orElseThrow(() -> gone("invite-not-found", "No such invite",
                Response.Status.NOT_FOUND, "This invite link does not exist."));
        if (invite.revokedAt() != null) {
            throw gone("invite-revoked", "The invite was revoked", Response.Status.GONE, "Ask a host for a new link.");
        }
        if (!now.isBefore(invite.expiresAt())) {
            throw gone("invite-expired", "The invite has expired", Response.Status.GONE, "Ask a host for a new link.");
        }
        RoomState room = rooms.find(invite.roomId()).orElseThrow(() -> gone("room-not-found", "No such room",
                Response.Status.NOT_FOUND, "The invite's room no longer exists."));
        if (room.ended()) {
            throw gone("room-ended", "The room has ended", Response.Status.GONE, "The call is over.");
        }
        if (room.settings().locked()) {
            throw gone("room-locked", "The room is locked", Response.Status.FORBIDDEN,
                    "A host locked the room; nobody new may join until it is unlocked.");
        }
        GuestIdentity guest = null;
        UserId userId;
        String displayName;
        if (signedIn.isPresent()) {
            userId = signedIn.get().userId();
            displayName = signedIn.get().displayName();
        } else {
            if (invite.role() != InviteRole.GUEST || room.settings().ssoOnly()) {
                throw new ProblemException(Problem.of("sign-in-required", "Sign in to use this invite",
                        Response.Status.UNAUTHORIZED, "This invite admits signed-in users only."));
            }
            if (request == null || request.displayName() == null) {
                throw new ProblemException(Problem.of("invalid-request", "The request is not valid",
                        Response.Status.BAD_REQUEST, "A guest needs a display name.")
                        .withViolations(java.util.List.of(new Problem.Violation("displayName", "must not be null"))));
            }
            guest = GuestIdentity.create(request.displayName().strip(), room.id(), random);
            userId = guest.userId();
            displayName = guest.displayName();
        }
        UserId redeemer = userId;
        lock.holding("invite:" + code.value(), () -> {
            // Read again under the lock: another replica may have taken the last use meanwhile.
            InviteState current = invites.find(code).orElseThrow();
            if (current.revokedAt() != null) {
                throw gone("invite-revoked", "The invite was revoked", Response.Status.GONE, "Ask a host for a new link.");
            }
            if (current.uses() >= current.maxUses()) {
                throw gone("invite-used-up", "The invite is used up", Response.Status.GONE,
                        "All " + current.maxUses() + " uses of this link are taken.");
            }
            InviteState redeemed = current.usedBy(current.uses() + 1);
            invites.apply(redeemed, log.append(Topic.INVITES, code.value(), new InviteRedeemed(redeemed, now, redeemer)));
            return redeemed;
        });
        boolean lobby = room.settings().lobby() && guest != null;
        if (guest == null) {
            return new Redemption(room.id(), InviteRole.PARTICIPANT, userId, displayName, true, false, null, null);
        }
        GuestTokens.Issued token = guestTokens.issue(guest);
        return new Redemption(room.id(), InviteRole.GUEST, userId, displayName, false, lobby, token.token(),
                token.expiresAt());
    }

    /** The signed-in caller redeeming an invite. */
    public record SsoCaller(UserId userId, String displayName) {
    }

    private static ProblemException gone(String kind, String title, Response.Status status, String detail) {
        return new ProblemException(Problem.of(kind, title, status, detail));
    }
}
