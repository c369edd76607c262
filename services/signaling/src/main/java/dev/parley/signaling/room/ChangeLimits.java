package dev.parley.signaling.room;

import dev.parley.events.identity.UserId;
import dev.parley.runtime.ratelimit.RateLimiter;
import dev.parley.signaling.SignalingConfig;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;

/**
 * The per-user budgets for changing rooms (settings, end, invites) and creating them, shared by
 * every resource that changes a room so they draw from the same counters.
 */
@ApplicationScoped
public class ChangeLimits {

    private static final Duration MINUTE = Duration.ofMinutes(1);

    private final RateLimiter limiter;
    private final SignalingConfig.Rooms config;

    ChangeLimits(RateLimiter limiter, SignalingConfig config) {
        this.limiter = limiter;
        this.config = config.rooms();
    }

    public void takeCreate(UserId user) {
        limiter.acquire("room-create", user.value(), config.createPerMinute(), MINUTE);
    }

    public void takeChange(UserId user) {
        limiter.acquire("room-change", user.value(), config.changesPerMinute(), MINUTE);
    }
}
