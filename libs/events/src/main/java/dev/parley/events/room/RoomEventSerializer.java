package dev.parley.events.room;

import dev.parley.events.kafka.JsonEventSerializer;

/** Kafka value serializer for {@link dev.parley.events.Topic#ROOMS}. */
public class RoomEventSerializer extends JsonEventSerializer<RoomEvent> {
}
