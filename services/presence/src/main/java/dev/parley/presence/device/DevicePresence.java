package dev.parley.presence.device;

import dev.parley.events.identity.UserId;
import dev.parley.presence.PresenceConfig;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.hash.HashCommands;
import io.quarkus.redis.datasource.keys.KeyCommands;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Which of a user's devices are present, with expiry, shared by every presence replica.
 *
 * <p>Redis key: {@code parley:presence:user:<userId>}, a hash from device id to
 * {@code <status>|<expiresAtEpochMillis>}. A heartbeat rewrites its device's entry and pushes the
 * key's own expiry past the latest device, so a user whose devices all stopped leaves no key
 * behind. Expired entries are ignored when read and removed lazily.
 */
@ApplicationScoped
public class DevicePresence {

    static final String KEY_PREFIX = "parley:presence:user:";

    private final HashCommands<String, String, String> devices;
    private final KeyCommands<String> keys;
    private final Duration ttl;
    private final Clock clock = Clock.systemUTC();

    DevicePresence(RedisDataSource redis, PresenceConfig config) {
        this.devices = redis.hash(String.class);
        this.keys = redis.key();
        this.ttl = config.deviceTtl();
    }

    /** Records a heartbeat: the device is present with {@code status} for one more TTL. */
    public void heartbeat(UserId user, DeviceId device, Status status) {
        String key = KEY_PREFIX + user.value();
        long expiresAt = clock.millis() + ttl.toMillis();
        devices.hset(key, device.value(), status.wireName() + "|" + expiresAt);
        keys.pexpire(key, ttl.toMillis());
    }

    /** The device left on purpose (signed out, closed): it stops counting at once. */
    public void leave(UserId user, DeviceId device) {
        devices.hdel(KEY_PREFIX + user.value(), device.value());
    }

    public UserPresence of(UserId user) {
        String key = KEY_PREFIX + user.value();
        long now = clock.millis();
        Status strongest = Status.OFFLINE;
        int present = 0;
        List<String> expired = new ArrayList<>();
        for (Map.Entry<String, String> entry : devices.hgetall(key).entrySet()) {
            String[] parts = entry.getValue().split("\\|", 2);
            if (parts.length != 2 || Long.parseLong(parts[1]) <= now) {
                expired.add(entry.getKey());
                continue;
            }
            Status status = Status.reported(parts[0]);
            present++;
            if (status.compareTo(strongest) > 0) {
                strongest = status;
            }
        }
        if (!expired.isEmpty()) {
            devices.hdel(key, expired.toArray(String[]::new));
        }
        return new UserPresence(user, strongest, present);
    }
}
