package dev.parley.keydistribution.identity;

import dev.parley.keydistribution.Json;
import dev.parley.keydistribution.KeyDistributionConfig;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.value.SetArgs;
import io.quarkus.redis.datasource.value.ValueCommands;
import jakarta.enterprise.context.ApplicationScoped;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Registered devices, and which key belongs to which device.
 *
 * <p>Redis keys: {@code parley:kd:device:<deviceId>} holds the {@link Device} as JSON;
 * {@code parley:kd:device-key:<signatureKey>} names the device a key is registered to, set with
 * {@code SET NX} so that two registrations of one key, even at two replicas at once, end with one
 * owner. Both live as long as the device's certificate. Losing them costs a re-registration, never
 * security: certificates already issued stay valid, and a key still needs its proof to be
 * registered again.
 */
@ApplicationScoped
public class DeviceRegistry {

    private static final String DEVICE = "parley:kd:device:";
    private static final String KEY = "parley:kd:device-key:";

    /** What registering a key came to. */
    public sealed interface Outcome {
        record Registered(Device device) implements Outcome {
        }

        record AlreadyYours(Device device) implements Outcome {
        }

        record TakenByAnother() implements Outcome {
        }
    }

    private final ValueCommands<String, String> values;
    private final CertificateAuthority authority;
    private final Duration lifetime;
    private final Clock clock = Clock.systemUTC();
    private final SecureRandom random = new SecureRandom();

    DeviceRegistry(RedisDataSource redis, CertificateAuthority authority, KeyDistributionConfig config) {
        this.values = redis.value(String.class);
        this.authority = authority;
        this.lifetime = config.authority().deviceCredentialLifetime();
    }

    /** Registers {@code signatureKey} (whose proof the caller has checked) as a device of {@code owner}. */
    public Outcome register(Caller owner, byte[] signatureKey) {
        String keyName = KEY + Bytes.encode(signatureKey);
        Optional<Device> existing = byKey(keyName);
        if (existing.isPresent()) {
            if (!sameOwner(existing.get(), owner)) {
                return new Outcome.TakenByAnother();
            }
            // Registering again renews the credential (and how long the device is remembered).
            Device renewed = certified(existing.get().deviceId(), owner, signatureKey);
            values.psetex(DEVICE + renewed.deviceId().value(), lifetime.toMillis(), Json.write(renewed));
            values.psetex(keyName, lifetime.toMillis(), renewed.deviceId().value());
            return new Outcome.AlreadyYours(renewed);
        }
        DeviceId id = DeviceId.random(random);
        Device device = certified(id, owner, signatureKey);
        values.psetex(DEVICE + id.value(), lifetime.toMillis(), Json.write(device));
        if (values.setGet(keyName, id.value(), new SetArgs().nx().px(lifetime)) != null) {
            // Another registration of the same key won the race: it decides the owner.
            values.getdel(DEVICE + id.value());
            return byKey(keyName)
                    .map(winner -> sameOwner(winner, owner) ? (Outcome) new Outcome.AlreadyYours(winner) : new Outcome.TakenByAnother())
                    .orElseGet(Outcome.TakenByAnother::new);
        }
        return new Outcome.Registered(device);
    }

    private Device certified(DeviceId id, Caller owner, byte[] signatureKey) {
        byte[] certificate = authority.issueDevice(id, owner.userId(), owner.guestRoom(), signatureKey);
        return new Device(id, owner.userId(), owner.guestRoom().orElse(null), Bytes.encode(signatureKey),
                List.of(Bytes.encode(certificate), Bytes.encode(authority.caCertificate())), clock.instant());
    }

    public Optional<Device> find(DeviceId id) {
        return Optional.ofNullable(values.get(DEVICE + id.value())).map(json -> Json.read(json, Device.class));
    }

    private Optional<Device> byKey(String keyName) {
        return Optional.ofNullable(values.get(keyName)).flatMap(id -> find(new DeviceId(id)));
    }

    private static boolean sameOwner(Device device, Caller owner) {
        return device.ownedBy(owner.userId())
                && owner.guestRoom().map(room -> room.equals(device.roomId())).orElse(device.roomId() == null);
    }
}
