package dev.parley.events.invite;

import dev.parley.events.kafka.JsonEventDeserializer;

/** Kafka value deserializer for {@link dev.parley.events.Topic#INVITES}. */
public class InviteEventDeserializer extends JsonEventDeserializer<InviteEvent> {

    public InviteEventDeserializer() {
        super(InviteEvent.class);
    }
}
