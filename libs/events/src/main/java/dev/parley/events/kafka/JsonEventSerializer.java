package dev.parley.events.kafka;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.parley.events.EventJson;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes an event as UTF-8 JSON in the form {@link EventJson} defines.
 *
 * @param <T> the event family, for example {@link dev.parley.events.room.RoomEvent}
 */
public class JsonEventSerializer<T> implements Serializer<T> {

    @Override
    public byte[] serialize(String topic, T event) {
        if (event == null) {
            return null;
        }
        try {
            return EventJson.mapper().writeValueAsBytes(event);
        } catch (JsonProcessingException e) {
            throw new SerializationException("cannot write " + event.getClass().getSimpleName() + " for " + topic, e);
        }
    }
}
