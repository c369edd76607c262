package dev.parley.events.connection;

import dev.parley.events.kafka.JsonEventDeserializer;

/** Kafka value deserializer for {@link dev.parley.events.Topic#CONNECTIONS}. */
public class ConnectionEventDeserializer extends JsonEventDeserializer<ConnectionEvent> {

    public ConnectionEventDeserializer() {
        super(ConnectionEvent.class);
    }
}
