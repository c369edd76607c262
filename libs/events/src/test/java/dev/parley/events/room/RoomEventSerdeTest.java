package dev.parley.events.room;

import dev.parley.events.identity.UserId;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RoomEventSerdeTest {

    private final RoomEventSerializer serializer = new RoomEventSerializer();
    private final RoomEventDeserializer deserializer = new RoomEventDeserializer();

    private static RoomCreated sample() {
        UserId host = new UserId("0b6e0c7c-6a8e-4a57-9d3b-3f1f2a9e0c11");
        Instant at = Instant.parse("2026-11-25T10:15:30.123Z");
        return new RoomCreated(RoomState.created(RoomId.random(new SecureRandom()),
                new RoomSettings("Weekly sync", true, false, 50, false), host, at), at, host);
    }

    @Test
    void roundTripsAnEventWithItsTypeAndFields() {
        RoomCreated created = sample();
        byte[] json = serializer.serialize("parley.rooms", created);

        assertThat(new String(json, StandardCharsets.UTF_8))
                .contains("\"type\":\"room.created\"")
                .contains("\"id\":\"" + created.roomId().value() + "\"")
                .contains("\"occurredAt\":\"2026-11-25T10:15:30.123Z\"");
        assertThat(deserializer.deserialize("parley.rooms", json)).isEqualTo(created);
    }

    @Test
    void roundTripsEveryEventType() {
        RoomCreated created = sample();
        UserId host = created.by();
        RoomState renamed = created.room().withSettings(new RoomSettings("Renamed", false, true, 20, true));
        for (RoomEvent event : new RoomEvent[]{created,
                new RoomSettingsChanged(renamed, created.occurredAt().plusSeconds(1), host),
                new RoomEnded(renamed.endedAt(created.occurredAt().plusSeconds(2)), created.occurredAt().plusSeconds(2), host)}) {
            assertThat(deserializer.deserialize("t", serializer.serialize("t", event))).isEqualTo(event);
        }
    }

    @Test
    void ignoresFieldsAddedByANewerProducer() {
        RoomCreated created = sample();
        String json = new String(serializer.serialize("t", created), StandardCharsets.UTF_8);
        String withExtra = json.replaceFirst("\\{", "{\"addedLater\":{\"x\":1},");

        assertThat(deserializer.deserialize("t", withExtra.getBytes(StandardCharsets.UTF_8))).isEqualTo(created);
    }

    @Test
    void readsAnUnknownEventTypeAsNullSoConsumersCanSkipIt() {
        byte[] json = "{\"type\":\"room.renamed-in-a-later-version\",\"room\":{\"id\":\"abcd-efgh-ijkl\"}}"
                .getBytes(StandardCharsets.UTF_8);

        assertThat(deserializer.deserialize("t", json)).isNull();
    }

    @Test
    void rejectsRecordsThatAreNotJsonOrBreakInvariants() {
        assertThatThrownBy(() -> deserializer.deserialize("t", "not json".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(SerializationException.class);
        String badRoomId = new String(serializer.serialize("t", sample()), StandardCharsets.UTF_8)
                .replaceFirst("\"id\":\"[^\"]+\"", "\"id\":\"../../etc\"");
        assertThatThrownBy(() -> deserializer.deserialize("t", badRoomId.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(SerializationException.class);
        String noHost = new String(serializer.serialize("t", sample()), StandardCharsets.UTF_8)
                .replaceFirst("\"hosts\":\\[[^\\]]*\\]", "\"hosts\":[]");
        assertThatThrownBy(() -> deserializer.deserialize("t", noHost.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(SerializationException.class);
    }

    @Test
    void nullStaysNull() {
        assertThat(serializer.serialize("t", null)).isNull();
        assertThat(deserializer.deserialize("t", null)).isNull();
    }
}
