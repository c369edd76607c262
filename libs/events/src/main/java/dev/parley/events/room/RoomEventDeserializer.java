package dev.parley.events.room;

import dev.parley.events.kafka.JsonEventDeserializer;

/** Kafka value deserializer for {@link dev.parley.events.Topic#ROOMS}. */
public class RoomEventDeserializer extends JsonEventDeserializer<RoomEvent> {

    public RoomEventDeserializer() {
        super(RoomEvent.class);
    }
}
