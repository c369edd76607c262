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
                table.insert(out, hash)
              end
            end
            return out""";

    private final RedisDataSource redis;
    private final long cacheNanos;
    private Map<String, Relay> live;
    private long readAt;

    RelayDirectory(RedisDataSource redis, SignalingConfig config) {
        this.redis = redis;
        this.cacheNanos = config.media().directoryCache().toNanos();
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

    static String hashKey(String relayId) {
        return "parley:relay:" + relayId;
    }

    private void reload() {
        Map<String, Relay> relays = new LinkedHashMap<>();
        for (Response entry : redis.execute("EVAL", READ, "1", RELAYS, hashKey(""))) {
            Map<String, String> hash = new HashMap<>();
            for (int i = 0; i + 1 < entry.size(); i += 2) {
                hash.put(entry.get(i).toString(), entry.get(i + 1).toString());
            }
            Relay.parse(hash).ifPresentOrElse(relay -> relays.put(relay.id(), relay),
                    () -> LOG.warnf("ignoring a relay whose heartbeat does not parse: %s", hash));
        }
        live = Map.copyOf(relays);
        readAt = System.nanoTime();
    }
}
