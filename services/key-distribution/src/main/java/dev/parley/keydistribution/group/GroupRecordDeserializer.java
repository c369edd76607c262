package dev.parley.keydistribution.group;

import dev.parley.events.kafka.JsonEventDeserializer;

/** Kafka value deserializer for {@link dev.parley.events.Topic#GROUPS}. */
public class GroupRecordDeserializer extends JsonEventDeserializer<GroupRecord> {

    public GroupRecordDeserializer() {
        super(GroupRecord.class);
    }
}
