package dev.parley.signaling.conference;

import dev.parley.events.call.CallEvents.MediaRestart;
import dev.parley.events.room.RoomId;
import dev.parley.signaling.SignalingConfig;
import dev.parley.signaling.media.RelayHealth;
import dev.parley.signaling.media.RelayHealth.RoomMove;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Moves calls off relays that died or drain (issue 7, "Failover"; {@code docs/architecture.md},
 * "Relay failover"). Every {@code relay-watch-interval} this replica checks the relays of the rooms
 * its members are in ({@link RelayHealth#check}); a room it moves gets {@link MediaRestart} on its
 * stream, which every replica delivers to its members of the room as {@code media-restart}: they
 * build a new peer connection and offer again, to the new relay, without leaving the call. The
 * relays read it too, and the old one closes the room's sessions, which ends a drain.
 */
@ApplicationScoped
public class MediaFailover {

    private static final Logger LOG = Logger.getLogger(MediaFailover.class);

    private final RelayHealth health;
    private final LocalMembers members;
    private final CallStream stream;
    private final Duration interval;
    private long lastRoundNanos;
    private final Clock clock = Clock.systemUTC();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "relay-watch");
        thread.setDaemon(true);
        return thread;
    });

    MediaFailover(RelayHealth health, LocalMembers members, CallStream stream, SignalingConfig config) {
        this.health = health;
        this.members = members;
        this.stream = stream;
        this.interval = config.media().relayWatchInterval();
    }

    void start(@Observes StartupEvent started) {
        if (health.watching()) {
            timer.scheduleWithFixedDelay(this::watch, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    void stop(@Observes ShutdownEvent stopping) throws InterruptedException {
        timer.shutdownNow();
        timer.awaitTermination(1, TimeUnit.SECONDS);
    }

    /** An offer could not connect to the room's relay {@code relayId}: move the room now. */
    void relayLost(RoomId room, String relayId) {
        health.lost(room, relayId).ifPresent(this::announce);
    }

    private void watch() {
        long start = System.nanoTime();
        try {
            Set<RoomId> rooms = members.rooms();
            if (!rooms.isEmpty()) {
                health.check(rooms).forEach(this::announce);
            }
        } catch (RuntimeException e) {
            // Redis or Kafka away for a moment: the next round tries again; a failed run must not end the schedule.
            LOG.warnf("checking the rooms' relays failed: %s", e.toString());
        }
        reportLateness(start, System.nanoTime());
    }

    /**
     * Says when a round started far later than the interval, or took long: how fast a dead relay is
     * found depends on these rounds, and a starved replica (CPU, a slow Redis) shows here first.
     */
    private void reportLateness(long start, long end) {
        long sincePrevious = lastRoundNanos == 0 ? 0 : start - lastRoundNanos;
        long slack = Math.max(interval.toNanos() * 4, TimeUnit.SECONDS.toNanos(1));
        if (sincePrevious > slack + interval.toNanos() || end - start > slack) {
            LOG.warnf("the relay watch is late: this round began %d ms later than its interval (%d ms) and took %d ms",
                    Math.max(0, TimeUnit.NANOSECONDS.toMillis(sincePrevious - interval.toNanos())),
                    interval.toMillis(), TimeUnit.NANOSECONDS.toMillis(end - start));
        }
        lastRoundNanos = end;
    }

    private void announce(RoomMove move) {
        stream.append(new MediaRestart(move.room(), move.reason(), move.fromRelay(), move.toRelay(), move.participants(),
                clock.instant()));
    }
}
