package dev.parley.events.ring;

import dev.parley.events.kafka.JsonEventDeserializer;

/** Kafka value deserializer for {@link dev.parley.events.Topic#RINGS}. */
public class RingEventDeserializer extends JsonEventDeserializer<RingEvent> {

    public RingEventDeserializer() {
        super(RingEvent.class);
    }
}
