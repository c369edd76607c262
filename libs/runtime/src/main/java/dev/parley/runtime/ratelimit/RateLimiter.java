package dev.parley.runtime.ratelimit;

import dev.parley.runtime.problem.Problem;
import dev.parley.runtime.problem.ProblemException;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.value.ValueCommands;
import io.quarkus.redis.datasource.keys.KeyCommands;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;

import java.time.Clock;
import java.time.Duration;

/**
 * Limits how often one caller may do one thing, across every replica: a fixed-window counter in
 * Redis ({@code parley:ratelimit:<action>:<caller>:<window>}, expiring with its window).
 *
 * <p>A fixed window lets a caller spend up to twice the limit around a window boundary; that is
 * acceptable for abuse protection and costs one round trip ({@code INCR}, plus {@code EXPIRE} on
 * a window's first hit).
 */
@ApplicationScoped
public class RateLimiter {

    private final ValueCommands<String, Long> counters;
    private final KeyCommands<String> keys;
    private final MeterRegistry metrics;
    private final Clock clock = Clock.systemUTC();

    RateLimiter(RedisDataSource redis, MeterRegistry metrics) {
        this.counters = redis.value(Long.class);
        this.keys = redis.key();
        this.metrics = metrics;
    }

    /**
     * Counts one use of {@code action} by {@code caller}; past {@code limit} uses within the
     * current {@code window}, refuses with {@code 429 rate-limited}.
     */
    public void acquire(String action, String caller, int limit, Duration window) {
        long windowMillis = window.toMillis();
        long now = clock.millis();
        long windowIndex = now / windowMillis;
        String key = "parley:ratelimit:" + action + ":" + caller + ":" + windowIndex;
        long used = counters.incr(key);
        if (used == 1) {
            keys.pexpire(key, windowMillis);
        }
        if (used > limit) {
            metrics.counter("parley.rate.limited", "action", action).increment();
            long retryAfterSeconds = Math.max(1, ((windowIndex + 1) * windowMillis - now + 999) / 1000);
            throw new ProblemException(Problem.of("rate-limited", "Too many requests",
                            Response.Status.TOO_MANY_REQUESTS,
                            "At most " + limit + " per " + window.toSeconds() + " s; retry in " + retryAfterSeconds + " s.")
                    .withRetryAfter(retryAfterSeconds));
        }
    }
}
