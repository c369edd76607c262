package dev.parley.keydistribution;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.parley.events.EventJson;

import java.io.UncheckedIOException;

/** The JSON of what key distribution keeps in Redis and on its log: Parley's shared event mapper. */
public final class Json {

    private Json() {
    }

    public static String write(Object value) {
        try {
            return EventJson.mapper().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static <T> T read(String json, Class<T> type) {
        try {
            return EventJson.mapper().readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
