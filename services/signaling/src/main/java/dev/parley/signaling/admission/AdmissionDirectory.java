package dev.parley.signaling.admission;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.events.admission.Admission;
import dev.parley.events.identity.UserId;
import dev.parley.events.room.RoomId;
import dev.parley.runtime.kafka.LogPosition;
import dev.parley.signaling.view.VersionedStore;
import io.quarkus.redis.datasource.RedisDataSource;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Optional;

/**
 * The shared view of admissions: Redis key {@code parley:admission:<roomId>/<userId>}, rebuilt
 * from the admissions topic like the room and invite views.
 */
@ApplicationScoped
public class AdmissionDirectory {

    static final String KEY_PREFIX = "parley:admission:";

    private final VersionedStore<Admission> admissions;

    AdmissionDirectory(RedisDataSource redis, ObjectMapper json) {
        this.admissions = new VersionedStore<>(redis, json, Admission.class);
    }

    public void apply(Admission admission, LogPosition position) {
        admissions.apply(KEY_PREFIX + admission.key(), admission, position);
    }

    public Optional<Admission> find(RoomId roomId, UserId userId) {
        return admissions.find(KEY_PREFIX + Admission.key(roomId, userId));
    }
}
