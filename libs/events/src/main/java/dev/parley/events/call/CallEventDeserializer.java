package dev.parley.events.call;

import dev.parley.events.kafka.JsonEventDeserializer;

/** Kafka value deserializer for {@link dev.parley.events.Topic#CALLS}. */
public class CallEventDeserializer extends JsonEventDeserializer<CallEvent> {

    public CallEventDeserializer() {
        super(CallEvent.class);
    }
}
