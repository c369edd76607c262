package dev.parley.signaling.invite;

import dev.parley.events.Topic;
import dev.parley.events.identity.UserId;
import dev.parley.events.invite.InviteCode;
import dev.parley.events.invite.InviteCreated;
import dev.parley.events.invite.InviteEvent;
import dev.parley.events.invite.InviteRevoked;
import dev.parley.events.invite.InviteRole;
import dev.parley.events.invite.InviteState;
import dev.parley.events.room.RoomId;
import dev.parley.events.room.RoomState;
import dev.parley.runtime.problem.Problem;
import dev.parley.runtime.problem.ProblemException;
import dev.parley.signaling.SignalingConfig;
import dev.parley.signaling.log.EntityLock;
import dev.parley.runtime.kafka.EventLog;
import dev.parley.signaling.room.RoomService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Hosts create, list and revoke their rooms' invite links. Like room changes, every change is
 * appended to its topic before the view shows it.
 */
@ApplicationScoped
public class InviteService {

    private static final Logger LOG = Logger.getLogger(InviteService.class);

    private final EventLog log;
    private final InviteDirectory directory;
    private final RoomService rooms;
    private final EntityLock lock;
    private final SignalingConfig config;
    private final SecureRandom random = new SecureRandom();
    private final Clock clock = Clock.systemUTC();

    InviteService(EventLog log, InviteDirectory directory, RoomService rooms, EntityLock lock, SignalingConfig config) {
        this.log = log;
        this.directory = directory;
        this.rooms = rooms;
        this.lock = lock;
        this.config = config;
    }

    public InviteView create(UserId host, RoomId roomId, CreateInviteRequest request) {
        RoomState room = rooms.requireHost(host, roomId);
        if (request.role() == InviteRole.GUEST && room.settings().ssoOnly()) {
            throw new ProblemException(Problem.of("sso-only-room", "This room admits signed-in users only",
                    Response.Status.CONFLICT, "Turn off ssoOnly to invite guests, or invite participants."));
        }
        Duration lifetime = request.expiresInSeconds() == null
                ? config.invites().defaultLifetime()
                : Duration.ofSeconds(request.expiresInSeconds());
        if (lifetime.compareTo(config.invites().maxLifetime()) > 0) {
            throw new ProblemException(Problem.of("invite-lifetime-too-long", "The invite would live too long",
                    Response.Status.BAD_REQUEST,
                    "expiresInSeconds is at most " + config.invites().maxLifetime().toSeconds() + "."));
        }
        Instant now = clock.instant();
        int maxUses = request.maxUses() == null ? room.settings().maxParticipants() : request.maxUses();
        InviteState invite = new InviteState(InviteCode.random(random), roomId, request.role(), host, now,
                now.plus(lifetime), maxUses, 0, null);
        record(new InviteCreated(invite, now, host));
        LOG.infof("invite %s (%s) created for room %s", invite.code(), invite.role().wireName(), roomId);
        return view(invite);
    }

    public List<InviteView> list(UserId host, RoomId roomId) {
        rooms.requireHost(host, roomId);
        return directory.ofRoom(roomId).stream().map(this::view).toList();
    }

    public void revoke(UserId host, RoomId roomId, InviteCode code) {
        rooms.requireHost(host, roomId);
        directory.find(code)
                .filter(found -> found.roomId().equals(roomId))
                .orElseThrow(() -> new ProblemException(Problem.of("invite-not-found", "No such invite",
                        Response.Status.NOT_FOUND, "Room " + roomId + " has no such invite.")));
        // Under the redemption lock, so a redemption in flight cannot overwrite the revocation.
        lock.holding(EntityLock.invite(code), () -> {
            InviteState current = directory.find(code).orElseThrow();
            if (current.revokedAt() == null) {
                Instant now = clock.instant();
                record(new InviteRevoked(current.revokedAt(now), now, host));
            }
            return current;
        });
    }

    private void record(InviteEvent event) {
        directory.apply(event.invite(), log.append(Topic.INVITES, event.code().value(), event));
    }

    private InviteView view(InviteState invite) {
        return InviteView.of(invite, config.publicUrl(), clock.instant());
    }
}
