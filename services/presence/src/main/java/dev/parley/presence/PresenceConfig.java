package dev.parley.presence;

import dev.parley.runtime.guest.GuestTokenSettings;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/**
 * Presence's own settings; each key can be overridden by an environment variable named after it,
 * for example {@code PARLEY_PRESENCE_HEARTBEAT_INTERVAL=10s}.
 */
@ConfigMapping(prefix = "parley.presence")
public interface PresenceConfig {

    /** How often a client is asked to send a heartbeat for each of its devices. */
    @WithDefault("15s")
    Duration heartbeatInterval();

    /**
     * How many heartbeats in a row a device may miss before it counts as gone. A crashed client
     * therefore shows as offline at most {@code heartbeatInterval × missedHeartbeats} after its
     * last heartbeat (30 s with the defaults).
     */
    @WithDefault("2")
    int missedHeartbeats();

    /**
     * How often each replica looks for devices whose heartbeats stopped and for signaling replicas
     * that died, and publishes what changed; it adds to the bounds above.
     */
    @WithDefault("1s")
    Duration sweepInterval();

    /** How long a ring waits for an answer before it ends as {@code timed-out}. */
    @WithDefault("30s")
    Duration ringTimeout();

    /** Guests' tokens, issued by signaling: the same secret as signaling's. */
    GuestTokenSettings guests();

    /** The bound above: how long a heartbeat keeps a device present. */
    default Duration deviceTtl() {
        return heartbeatInterval().multipliedBy(missedHeartbeats());
    }
}
