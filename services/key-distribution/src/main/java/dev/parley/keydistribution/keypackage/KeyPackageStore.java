package dev.parley.keydistribution.keypackage;

import dev.parley.keydistribution.KeyDistributionConfig;
import dev.parley.keydistribution.identity.DeviceId;
import io.quarkus.redis.datasource.RedisDataSource;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Each device's published KeyPackages (RFC 9420 §10), consumed exactly once.
 *
 * <p>Redis keys: {@code parley:kd:kp:<deviceId>} is a list of KeyPackages (base64url), and
 * {@code parley:kd:kp-last:<deviceId>} the device's last-resort KeyPackage (RFC 9420 §16.8), handed
 * out only when the list is empty and never consumed. A claim is one {@code LPOP}: Redis runs
 * commands one at a time, so however many replicas claim at once, each KeyPackage goes to one of
 * them. An upload is a script that refuses to grow the list past the cap, so the count check and
 * the push cannot interleave with another upload.
 */
@ApplicationScoped
public class KeyPackageStore {

    private static final String LIST = "parley:kd:kp:";
    private static final String LAST = "parley:kd:kp-last:";

    /** KEYS: list, last; ARGV: cap, ttl ms, last resort ('' for none), packages... Returns the new length, or -1 over the cap. */
    private static final String UPLOAD = """
            local length = redis.call('LLEN', KEYS[1])
            if length + #ARGV - 3 > tonumber(ARGV[1]) then return -1 end
            for i = 4, #ARGV do redis.call('RPUSH', KEYS[1], ARGV[i]) end
            if ARGV[3] ~= '' then redis.call('SET', KEYS[2], ARGV[3]) end
            if redis.call('EXISTS', KEYS[1]) == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
            if redis.call('EXISTS', KEYS[2]) == 1 then redis.call('PEXPIRE', KEYS[2], ARGV[2]) end
            return redis.call('LLEN', KEYS[1])
            """;

    /** The supply of one device after a change. */
    public record Supply(long available, boolean lastResort, boolean low) {
    }

    /** One claimed KeyPackage. */
    public record Claimed(String keyPackage, boolean lastResort) {
    }

    private final RedisDataSource redis;
    private final int cap;
    private final int lowWatermark;
    private final Duration ttl;

    KeyPackageStore(RedisDataSource redis, KeyDistributionConfig config) {
        this.redis = redis;
        this.cap = config.keyPackages().maxPerDevice();
        this.lowWatermark = config.keyPackages().lowWatermark();
        this.ttl = config.authority().deviceCredentialLifetime();
    }

    /** Adds checked KeyPackages; empty when they would take the device over its cap. */
    public Optional<Supply> upload(DeviceId device, List<String> keyPackages, Optional<String> lastResort) {
        List<String> args = new ArrayList<>(List.of("EVAL", UPLOAD, "2", LIST + device.value(), LAST + device.value(),
                Integer.toString(cap), Long.toString(ttl.toMillis()), lastResort.orElse("")));
        args.addAll(keyPackages);
        long length = redis.execute(args.get(0), args.subList(1, args.size()).toArray(String[]::new)).toLong();
        return length < 0 ? Optional.empty() : Optional.of(supply(device, length));
    }

    /** Takes one KeyPackage of {@code device} for good, or its last resort; empty when it has neither. */
    public Optional<Claimed> claim(DeviceId device) {
        String taken = redis.list(String.class).lpop(LIST + device.value());
        if (taken != null) {
            return Optional.of(new Claimed(taken, false));
        }
        return Optional.ofNullable(redis.value(String.class).get(LAST + device.value())).map(last -> new Claimed(last, true));
    }

    public Supply supply(DeviceId device) {
        return supply(device, redis.list(String.class).llen(LIST + device.value()));
    }

    private Supply supply(DeviceId device, long available) {
        boolean lastResort = redis.key().exists(LAST + device.value());
        return new Supply(available, lastResort, available < lowWatermark);
    }
}
