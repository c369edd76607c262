package dev.parley.signaling.view;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.runtime.kafka.LogPosition;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.transactions.OptimisticLockingTransactionResult;

import java.io.UncheckedIOException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Redis values that only move forward in their topic: each key holds a state with the log
 * position it came from, as JSON {@code {"state": …, "position": {"partition": p, "offset": o}}},
 * and a state is written only if it comes from a later position.
 *
 * <p>The REST path (right after the broker's acknowledgement) and the topic consumer may
 * therefore apply the same event in either order, any number of times, and the key still ends on
 * the latest state. Conflicting writers are serialised with {@code WATCH}/{@code MULTI}.
 *
 * @param <T> the state kept per key
 */
public final class VersionedStore<T> {

    /** What one key holds. */
    public record Versioned<S>(S state, LogPosition position) {
    }

    private final RedisDataSource redis;
    private final ObjectMapper json;
    private final JavaType versionedType;

    public VersionedStore(RedisDataSource redis, ObjectMapper json, Class<T> stateType) {
        this.redis = redis;
        this.json = json;
        this.versionedType = json.getTypeFactory().constructParametricType(Versioned.class, stateType);
    }

    /** Stores {@code state} at {@code key} unless the key holds a state from a later position. */
    public void apply(String key, T state, LogPosition position) {
        String encoded = write(new Versioned<>(state, position));
        while (true) {
            OptimisticLockingTransactionResult<LogPosition> result = redis.withTransaction(
                    ds -> read(ds.value(String.class).get(key)).map(Versioned::position).orElse(null),
                    (seen, tx) -> {
                        if (position.isAfter(seen)) {
                            tx.value(String.class).set(key, encoded);
                        } else {
                            tx.discard();
                        }
                    },
                    key);
            // Discarded because the stored state is newer: done. Discarded because another writer
            // touched the key between WATCH and EXEC: try again against what it wrote.
            if (!result.discarded() || !position.isAfter(result.getPreTransactionResult())) {
                return;
            }
        }
    }

    public Optional<T> find(String key) {
        return read(redis.value(String.class).get(key)).map(Versioned::state);
    }

    public List<T> findAll(List<String> keys) {
        if (keys.isEmpty()) {
            return List.of();
        }
        return redis.value(String.class).mget(keys.toArray(String[]::new)).values().stream()
                .filter(Objects::nonNull)
                .map(this::read)
                .flatMap(Optional::stream)
                .map(Versioned::state)
                .toList();
    }

    private String write(Versioned<T> versioned) {
        try {
            return json.writeValueAsString(versioned);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Optional<Versioned<T>> read(String stored) {
        if (stored == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(json.readValue(stored, versionedType));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("unreadable view entry", e);
        }
    }
}
