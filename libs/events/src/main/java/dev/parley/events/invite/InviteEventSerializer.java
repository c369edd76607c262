package dev.parley.events.invite;

import dev.parley.events.kafka.JsonEventSerializer;

/** Kafka value serializer for {@link dev.parley.events.Topic#INVITES}. */
public class InviteEventSerializer extends JsonEventSerializer<InviteEvent> {
}
