package dev.parley.signaling.media;

import io.quarkus.redis.datasource.RedisDataSource;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import dev.parley.signaling.SignalingConfig;
import org.jboss.logging.Logger;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The relays that are alive now, read from their heartbeats in Redis ({@code parley:relays} and
 * each {@code parley:relay:<id>}, which expires when the relay stops beating).
 *
 * <p>The whole directory is one script call (one round trip however many relays there are), and
 * the result is kept for {@code parley.signaling.media.directory-cache}: a storm of offers reads
 * it once a second, not once per offer. A relay's heartbeat is itself ~2 s old at worst, so a
 * second more changes little. Ids whose hash expired are dropped from the set on the way.
 *
 * <p>A relay that stopped beating is left out as soon as its last beat is older than
 * {@code parley.signaling.media.relay-staleness}, well before its hash expires (five intervals):
 * the age is the relay's published expiry ({@code ttlMillis}) less what Redis has left of it
 * ({@code PTTL}), both on Redis' clock, so hosts' clocks need not agree. A relay that publishes no
 * {@code ttlMillis} (an older version) counts as live until its hash expires.
 */
@ApplicationScoped
class RelayDirectory {

    private static final Logger LOG = Logger.getLogger(RelayDirectory.class);
    static final String RELAYS = "parley:relays";

    /** Every registered relay's hash; ids whose hash is gone are removed from the set. */
    private static final String READ = """
            local out = {}
            for _, id in ipairs(redis.call('SMEMBERS', KEYS[1])) do
              local hash = redis.call('HGETALL', ARGV[1] .. id)
              if #hash == 0 then
                redis.call('SREM', KEYS[1], id)
              else
                table.insert(hash, '_pttl')
                table.insert(hash, tostring(redis.call('PTTL', ARGV[1] .. id)))
                table.insert(out, hash)
              end
            end
            return out""";

    private final RedisDataSource redis;
    private final long cacheNanos;
    private final long stalenessMillis;
    private Map<String, Relay> live;
    /** How old each live relay's last beat was at the last read, where it says (ttlMillis). */
    private Map<String, Long> ages = Map.of();
    private long readAt;

    RelayDirectory(RedisDataSource redis, SignalingConfig config) {
        this.redis = redis;
        this.cacheNanos = config.media().directoryCache().toNanos();
        this.stalenessMillis = config.media().relayStaleness().toMillis();
    }

    /** The live relays by id, at most {@code directory-cache} old. */
    synchronized Map<String, Relay> live() {
        if (live == null || System.nanoTime() - readAt >= cacheNanos) {
            reload();
        }
        return live;
    }

    /** Reads the directory now: a relay another replica just placed a room on may be newer than the cached read. */
    synchronized Map<String, Relay> fresh() {
        reload();
        return live;
    }

    /** How old {@code relayId}'s last beat was at the last read, in ms; -1 when it does not say or is not live. */
    synchronized long beatAge(String relayId) {
        return ages.getOrDefault(relayId, -1L);
    }

    static String hashKey(String relayId) {
        return "parley:relay:" + relayId;
    }

    /** How long ago the relay last beat, by Redis' clock; -1 when it does not say how long its beats last. */
    static long beatAgeMillis(Map<String, String> hash) {
        try {
            long ttl = Long.parseLong(hash.get("ttlMillis"));
            long left = Long.parseLong(hash.get("_pttl"));
            return left < 0 ? -1 : Math.max(0, ttl - left);
        } catch (RuntimeException e) {
            return -1;
        }
    }

    private void reload() {
        Map<String, Relay> relays = new LinkedHashMap<>();
        Map<String, Long> beatAges = new HashMap<>();
        for (Response entry : redis.execute("EVAL", READ, "1", RELAYS, hashKey(""))) {
            Map<String, String> hash = new HashMap<>();
            for (int i = 0; i + 1 < entry.size(); i += 2) {
                hash.put(entry.get(i).toString(), entry.get(i + 1).toString());
            }
            long age = beatAgeMillis(hash);
            if (age > stalenessMillis) {
                continue;
            }
            Relay.parse(hash).ifPresentOrElse(relay -> {
                        relays.put(relay.id(), relay);
                        beatAges.put(relay.id(), age);
                    },
                    () -> LOG.warnf("ignoring a relay whose heartbeat does not parse: %s", hash));
        }
        live = Map.copyOf(relays);
        ages = Map.copyOf(beatAges);
        readAt = System.nanoTime();
    }
}
