package dev.parley.signaling.conference;

import dev.parley.events.call.CallEvents.LeaveReason;
import dev.parley.events.call.CallEvents.LobbyLeft;
import dev.parley.events.call.CallEvents.LobbyOutcome;
import dev.parley.events.call.CallEvents.ParticipantLeft;
import dev.parley.events.room.RoomId;
import dev.parley.signaling.SignalingConfig;
import dev.parley.signaling.call.CallConnection;
import dev.parley.signaling.call.CloseCodes;
import dev.parley.signaling.call.ConnectionAnnouncer;
import dev.parley.signaling.log.EntityLock;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Keeps live call state true when connections or whole replicas vanish.
 *
 * <p>Each replica beats in Redis ({@code parley:replica:<id>}, expiring after the replica timeout;
 * {@code parley:replicas} lists the ones seen). Every replica, every third of the timeout:
 * <ol>
 *   <li>finds replicas whose beat expired: their participants start the grace period, as if their
 *       connections had dropped (one replica claims each dead one);</li>
 *   <li>removes participants whose grace period ended, and tells the room they left
 *       ({@code timed-out}).</li>
 * </ol>
 * A participant of a dead replica is therefore gone from the others' rosters at most
 * replica timeout + grace period + a third of the timeout after the crash, unless they resume.
 */
@ApplicationScoped
class ReplicaLiveness {

    private static final Logger LOG = Logger.getLogger(ReplicaLiveness.class);
    private static final String REPLICAS = "parley:replicas";

    private final RedisDataSource redis;
    private final LiveRoster roster;
    private final CallStream stream;
    private final EntityLock lock;
    private final ReplicaId self;
    private final Duration timeout;
    private final Duration grace;
    private final LocalMembers members;
    private final ConnectionAnnouncer announcer;
    private final Clock clock = Clock.systemUTC();
    private boolean beaten;
    /** Dead replicas whose clean-up this replica claimed and has not finished, with when it noticed the death. */
    private final Map<String, Long> sweeping = new HashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "replica-liveness");
        thread.setDaemon(true);
        return thread;
    });

    ReplicaLiveness(RedisDataSource redis, LiveRoster roster, CallStream stream, EntityLock lock, ReplicaId self,
                    LocalMembers members, ConnectionAnnouncer announcer, SignalingConfig config) {
        this.members = members;
        this.announcer = announcer;
        this.redis = redis;
        this.roster = roster;
        this.stream = stream;
        this.lock = lock;
        this.self = self;
        this.timeout = config.calls().replicaTimeout();
        this.grace = config.calls().resumeGrace();
    }

    void start(@Observes StartupEvent started) {
        long period = Math.max(100, timeout.toMillis() / 3);
        timer.scheduleWithFixedDelay(this::tick, 0, period, TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent stopping) {
        timer.shutdownNow();
    }

    private void tick() {
        try {
            beat();
            for (String replica : redis.set(String.class).smembers(REPLICAS)) {
                if (replica.equals(self.value())) {
                    continue;
                }
                if (!redis.key().exists(beatKey(replica))) {
                    adoptDeadReplica(replica);
                } else {
                    sweeping.remove(replica); // it beats again (it had only paused): no unfinished sweep stays
                }
            }
            expireGracePeriods();
        } catch (RuntimeException e) {
            LOG.warnf("liveness check failed (%s); next round soon", e.toString());
        }
    }

    private void beat() {
        redis.value(String.class).psetex(beatKey(self.value()), timeout.toMillis(), "alive");
        boolean listed = redis.set(String.class).sadd(REPLICAS, self.value()) == 0;
        if (!listed && beaten) {
            // Another replica took this one for dead (it paused longer than the timeout) and
            // suspended its places: take back what is still ours, drop what is gone.
            LOG.warnf("replica %s was taken for dead; reclaiming its participants", self);
            reclaim();
            announcer.announceAllAgain();
        }
        beaten = true;
    }

    private void reclaim() {
        for (CallConnection connection : members.all()) {
            RoomId room = connection.room();
            if (connection.place() != CallConnection.Place.CALL || room == null) {
                continue;
            }
            boolean kept = lock.holding(EntityLock.room(room), () -> roster.place(room, connection.participantId())
                    .filter(place -> place.connectionId().equals(connection.id()))
                    .map(place -> {
                        roster.put(room, new LivePlace(place.participant(), self.value(), place.connectionId(),
                                place.resumeHash(), 0, place.tracks()));
                        return true;
                    })
                    .orElse(false));
            if (!kept) {
                members.remove(room, connection);
                connection.close(CloseCodes.RESUMED_ELSEWHERE);
            }
        }
    }

    /**
     * Suspends a dead replica's places, once one replica claimed the clean-up. A room whose lock
     * cannot be had (the dead replica may have died holding it: it expires after 15 s) fails the
     * round; the claim stays this replica's and the next round goes on where this one stopped,
     * with the grace period still counted from when the death was first noticed, so a busy lock
     * does not add the claim's 30 s to how long the dead replica's participants stay listed.
     */
    private void adoptDeadReplica(String dead) {
        Long noticed = sweeping.get(dead);
        if (noticed == null) {
            // Several replicas notice at once; one claims the clean-up.
            if (redis.execute("SET", "parley:replica-sweep:" + dead, self.value(), "NX", "PX", "30000") == null) {
                return;
            }
            noticed = clock.millis();
            sweeping.put(dead, noticed);
            LOG.infof("replica %s stopped beating; its participants have %s to resume", dead, grace);
        }
        long deadline = noticed + grace.toMillis();
        for (RoomId room : roster.roomsOn(dead)) {
            lock.holding(EntityLock.room(room), () -> {
                roster.places(room).stream()
                        .filter(place -> place.replica().equals(dead) && !place.suspended())
                        .forEach(place -> roster.put(room, place.suspendedUntil(deadline)));
                roster.lobby(room).stream()
                        .filter(entry -> entry.replica().equals(dead))
                        .forEach(entry -> {
                            roster.removeLobby(room, entry.userId());
                            stream.append(new LobbyLeft(room, entry.userId(), LobbyOutcome.GONE, entry.userId(), clock.instant()));
                        });
                return null;
            });
        }
        roster.forgetReplica(dead);
        redis.set(String.class).srem(REPLICAS, dead);
        sweeping.remove(dead);
    }

    private void expireGracePeriods() {
        long now = clock.millis();
        for (LiveRoster.SuspendedPlace expired : roster.expired(now)) {
            lock.holding(EntityLock.room(expired.room()), () -> {
                roster.place(expired.room(), expired.participant()).ifPresentOrElse(place -> {
                    if (place.suspended() && place.suspendedUntil() <= now) {
                        roster.remove(expired.room(), expired.participant());
                        stream.append(new ParticipantLeft(expired.room(), expired.participant(), place.participant().userId(),
                                LeaveReason.TIMED_OUT, null, clock.instant()));
                    }
                }, () -> roster.remove(expired.room(), expired.participant()));
                return null;
            });
        }
    }

    private static String beatKey(String replica) {
        return "parley:replica:" + replica;
    }
}
