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
import dev.parley.signaling.admission.Admissions;
import dev.parley.runtime.guest.GuestIdentity;
import dev.parley.runtime.guest.GuestTokens;
import dev.parley.signaling.log.EntityLock;
import dev.parley.runtime.kafka.EventLog;
import dev.parley.signaling.room.RoomDirectory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Turns an invite link into a place in a room: a signed-in user keeps their SSO identity; someone
 * without an account gets a guest identity and a guest token for that one room.
 *
 * <p>Redeeming records an admission to the room ({@link Admissions}), which is what lets its
 * holder join the call; in a room with a lobby a guest's admission waits for a host. The room's
 * lock is held around it (and the invite's inside it, always in that order).
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
    private final Admissions admissions;
    private final SecureRandom random = new SecureRandom();
    private final Clock clock = Clock.systemUTC();

    InviteRedemption(InviteDirectory invites, RoomDirectory rooms, EntityLock lock, EventLog log,
                     GuestTokens guestTokens, Admissions admissions) {
        this.invites = invites;
        this.rooms = rooms;
        this.lock = lock;
        this.log = log;
        this.guestTokens = guestTokens;
        this.admissions = admissions;
    }

    /**
     * @param signedIn the caller's SSO identity, or empty for someone without an account
     */
    public Redemption redeem(InviteCode code, Optional<SsoCaller> signedIn, RedeemRequest request) {
        Instant now = clock.instant();
        InviteState invite = invites.find(code).orElseThrow(() -> refuse("invite-not-found", "No such invite",
                Response.Status.NOT_FOUND, "This invite link does not exist."));
        requireOpen(invite, now);
        RoomState room = rooms.find(invite.roomId()).orElseThrow(() -> refuse("room-not-found", "No such room",
                Response.Status.NOT_FOUND, "The invite's room no longer exists."));
        requireJoinable(room);
        if (signedIn.isPresent()) {
            UserId user = signedIn.get().userId();
            lock.holding(EntityLock.room(room.id()), () -> {
                admissions.requireNotShutOut(room.id(), user, code);
                takeUse(code, user, now);
                return admissions.grant(room.id(), user, code, false, now);
            });
            return new Redemption(room.id(), InviteRole.PARTICIPANT, user, signedIn.get().displayName(), true, false,
                    null, null);
        }
        GuestIdentity guest = newGuest(invite, room, request);
        lock.holding(EntityLock.room(room.id()), () -> {
            takeUse(code, guest.userId(), now);
            return admissions.grant(room.id(), guest.userId(), code, room.settings().lobby(), now);
        });
        GuestTokens.Issued token = guestTokens.issue(guest);
        return new Redemption(room.id(), InviteRole.GUEST, guest.userId(), guest.displayName(), false,
                room.settings().lobby(), token.token(), token.expiresAt());
    }

    private static void requireOpen(InviteState invite, Instant now) {
        if (invite.revokedAt() != null) {
            throw refuse("invite-revoked", "The invite was revoked", Response.Status.GONE, "Ask a host for a new link.");
        }
        if (!now.isBefore(invite.expiresAt())) {
            throw refuse("invite-expired", "The invite has expired", Response.Status.GONE, "Ask a host for a new link.");
        }
        if (invite.uses() >= invite.maxUses()) {
            throw refuse("invite-used-up", "The invite is used up", Response.Status.GONE,
                    "All " + invite.maxUses() + " uses of this link are taken.");
        }
    }

    private static void requireJoinable(RoomState room) {
        if (room.ended()) {
            throw refuse("room-ended", "The room has ended", Response.Status.GONE, "The call is over.");
        }
        if (room.settings().locked()) {
            throw refuse("room-locked", "The room is locked", Response.Status.FORBIDDEN,
                    "A host locked the room; nobody new may join until it is unlocked.");
        }
    }

    private GuestIdentity newGuest(InviteState invite, RoomState room, RedeemRequest request) {
        if (invite.role() != InviteRole.GUEST || room.settings().ssoOnly()) {
            throw refuse("sign-in-required", "Sign in to use this invite", Response.Status.UNAUTHORIZED,
                    "This invite admits signed-in users only.");
        }
        if (request == null || request.displayName() == null) {
            throw new ProblemException(Problem.of("invalid-request", "The request is not valid",
                            Response.Status.BAD_REQUEST, "A guest needs a display name.")
                    .withViolations(List.of(new Problem.Violation("displayName", "must not be null"))));
        }
        return GuestIdentity.create(request.displayName().strip(), room.id(), random);
    }

    /** Counts one use; read again under the lock, since another replica may have taken the last. */
    private void takeUse(InviteCode code, UserId redeemer, Instant now) {
        lock.holding(EntityLock.invite(code), () -> {
            InviteState current = invites.find(code).orElseThrow();
            requireOpen(current, now);
            InviteState redeemed = current.usedBy(current.uses() + 1);
            invites.apply(redeemed, log.append(Topic.INVITES, code.value(), new InviteRedeemed(redeemed, now, redeemer)));
            return redeemed;
        });
    }

    /** The signed-in caller redeeming an invite. */
    public record SsoCaller(UserId userId, String displayName) {
    }

    private static ProblemException refuse(String kind, String title, Response.Status status, String detail) {
        return new ProblemException(Problem.of(kind, title, status, detail));
    }
}
