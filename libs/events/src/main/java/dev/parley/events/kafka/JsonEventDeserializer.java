package dev.parley.events.kafka;

import dev.parley.events.EventJson;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

import java.io.IOException;

/**
 * Reads an event written by {@link JsonEventSerializer}.
 *
 * <p>An event type this build does not know yet becomes {@code null}, which consumers skip.
 * A record that is not valid JSON, or breaks an event's invariants, raises a
 * {@link SerializationException}: the consumer's failure strategy decides what happens to it.
 *
 * @param <T> the event family
 */
public class JsonEventDeserializer<T> implements Deserializer<T> {

    private final Class<T> family;

    protected JsonEventDeserializer(Class<T> family) {
        this.family = family;
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        try {
            return EventJson.mapper().readValue(data, family);
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("not a valid " + family.getSimpleName() + " on " + topic, e);
        }
    }
}
