package dev.parley.events.presence;

import dev.parley.events.kafka.JsonEventDeserializer;

/** Kafka value deserializer for {@link dev.parley.events.Topic#PRESENCE}. */
public class UserPresenceDeserializer extends JsonEventDeserializer<UserPresence> {

    public UserPresenceDeserializer() {
        super(UserPresence.class);
    }
}
