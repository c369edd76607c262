package dev.parley.presence.ring;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.parley.events.EventJson;
import dev.parley.events.Topic;
import dev.parley.events.identity.UserId;
import dev.parley.events.ring.RingEvent;
import dev.parley.events.ring.RingEvent.Step;
import dev.parley.presence.PresenceConfig;
import dev.parley.runtime.kafka.EventLog;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.sortedset.ScoreRange;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Rings, shared by every presence replica. A ring's state is one Redis key,
 * {@code parley:ring:<ringId>} (the latest {@link RingEvent} as JSON, expiring a minute after the
 * ring would time out); {@code parley:rings:due} orders ringing rings by deadline. A ring leaves
 * {@code ringing} exactly once, whoever tries first (callee, caller, or a replica's timeout),
 * in a Lua script; each step is then published on {@link Topic#RINGS} for every replica to deliver.
 */
@ApplicationScoped
public class Rings {

    private static final String DUE = "parley:rings:due";
    /** KEYS: ring, due. ARGV: next step, actor field ('to', 'from' or ''), actor, occurredAt. */
    private static final String STEP = """
            local current = redis.call('GET', KEYS[1])
            if not current then return false end
            local ring = cjson.decode(current)
            if ring.step ~= 'ringing' then return false end
            if ARGV[2] ~= '' and ring[ARGV[2]] ~= ARGV[3] then return false end
            ring.step = ARGV[1]
            ring.occurredAt = ARGV[4]
            local updated = cjson.encode(ring)
            redis.call('SET', KEYS[1], updated, 'KEEPTTL')
            redis.call('ZREM', KEYS[2], ring.ringId)
            return updated""";

    private final RedisDataSource redis;
    private final EventLog log;
    private final Duration timeout;
    private final SecureRandom random = new SecureRandom();
    private final Clock clock = Clock.systemUTC();

    Rings(RedisDataSource redis, PresenceConfig config, EventLog log) {
        this.redis = redis;
        this.timeout = config.ringTimeout();
        this.log = log;
    }

    /** Starts ringing {@code to}; the ring is recorded before anyone is told. */
    public RingEvent start(UserId from, String fromName, UserId to, String roomId, String inviteCode) {
        Instant now = clock.instant();
        String ringId = "r-" + HexFormat.of().formatHex(randomBytes());
        RingEvent ring = new RingEvent(ringId, from, fromName, to, roomId, inviteCode, Step.RINGING, now.plus(timeout), now);
        redis.value(String.class).psetex(key(ringId), timeout.plusMinutes(1).toMillis(), write(ring));
        redis.sortedSet(String.class).zadd(DUE, ring.expiresAt().toEpochMilli(), ringId);
        publish(ring);
        return ring;
    }

    /** The callee answers; empty when the ring is not theirs or no longer ringing. */
    public Optional<RingEvent> answer(String ringId, UserId callee, boolean accept) {
        return step(ringId, accept ? Step.ACCEPTED : Step.DECLINED, "to", callee);
    }

    /** The caller gives up; empty when the ring is not theirs or no longer ringing. */
    public Optional<RingEvent> cancel(String ringId, UserId caller) {
        return step(ringId, Step.CANCELLED, "from", caller);
    }

    /** Ends every ring whose time is up; run by each replica, each ring ends once. */
    public void timeOutDue() {
        List<String> due = redis.sortedSet(String.class)
                .zrangebyscore(DUE, new ScoreRange<>(Double.NEGATIVE_INFINITY, (double) clock.millis()));
        for (String ringId : due) {
            if (step(ringId, Step.TIMED_OUT, null, null).isEmpty()) {
                redis.sortedSet(String.class).zrem(DUE, ringId);
            }
        }
    }

    private Optional<RingEvent> step(String ringId, Step next, String actorField, UserId actor) {
        Response updated = redis.execute("EVAL", STEP, "2", key(ringId), DUE, wireName(next),
                actorField == null ? "" : actorField, actor == null ? "" : actor.value(), clock.instant().toString());
        if (updated == null) {
            return Optional.empty();
        }
        RingEvent ring = read(updated.toString());
        publish(ring);
        return Optional.of(ring);
    }

    /** Every replica delivers the step from the topic: it is recorded before anyone is told. */
    private void publish(RingEvent ring) {
        log.append(Topic.RINGS, ring.ringId(), ring);
    }

    private static String wireName(Step step) {
        return EventJson.mapper().convertValue(step, String.class);
    }

    private static String key(String ringId) {
        return "parley:ring:" + ringId;
    }

    private byte[] randomBytes() {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        return bytes;
    }

    private static String write(RingEvent ring) {
        try {
            return EventJson.mapper().writeValueAsString(ring);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static RingEvent read(String json) {
        try {
            return EventJson.mapper().readValue(json, RingEvent.class);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
