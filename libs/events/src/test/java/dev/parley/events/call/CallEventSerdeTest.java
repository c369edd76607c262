package dev.parley.events.call;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.events.EventJson;
import dev.parley.events.admission.Admission;
import dev.parley.events.admission.AdmissionDeserializer;
import dev.parley.events.admission.AdmissionStatus;
import dev.parley.events.call.CallEvents.LeaveReason;
import dev.parley.events.call.CallEvents.MediaRestart;
import dev.parley.events.call.CallEvents.MediaRestartReason;
import dev.parley.events.call.CallEvents.ParticipantJoined;
import dev.parley.events.call.CallEvents.ParticipantLeft;
import dev.parley.events.call.CallEvents.PayloadKind;
import dev.parley.events.call.CallEvents.PayloadSent;
import dev.parley.events.identity.UserId;
import dev.parley.events.invite.InviteCode;
import dev.parley.events.kafka.JsonEventSerializer;
import dev.parley.events.room.RoomId;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The call and admission events keep their JSON form: type names are the protocol's message types. */
class CallEventSerdeTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final RoomId ROOM = new RoomId("abcd-efgh-ijkl");
    private static final Instant AT = Instant.parse("2026-11-26T10:00:00Z");

    private final JsonEventSerializer<Object> serializer = new JsonEventSerializer<>();
    private final CallEventDeserializer deserializer = new CallEventDeserializer();

    private CallEvent roundTrip(CallEvent event) throws Exception {
        byte[] bytes = serializer.serialize("parley.calls", event);
        JsonNode json = EventJson.mapper().readTree(bytes);
        assertThat(json.path("roomId").asText()).isEqualTo(ROOM.value());
        return deserializer.deserialize("parley.calls", bytes);
    }

    @Test
    void eventsRoundTripUnderTheirProtocolNames() throws Exception {
        CallParticipant alice = new CallParticipant(ParticipantId.random(RANDOM), new UserId("alice"), "Alice", true,
                CallRole.HOST, false, AT);
        ParticipantJoined joined = new ParticipantJoined(ROOM, alice, AT);
        assertThat(roundTrip(joined)).isEqualTo(joined);
        assertThat(new String(serializer.serialize("t", joined), StandardCharsets.UTF_8))
                .contains("\"type\":\"participant-joined\"").contains("\"role\":\"host\"");

        PayloadSent payload = new PayloadSent(ROOM, alice.participantId(), PayloadKind.MLS_WELCOME, "AAEC",
                List.of(ParticipantId.random(RANDOM)), "c-1", AT);
        assertThat(roundTrip(payload)).isEqualTo(payload);
        assertThat(new String(serializer.serialize("t", payload), StandardCharsets.UTF_8))
                .contains("\"type\":\"payload\"").contains("\"kind\":\"mls-welcome\"");

        ParticipantLeft left = new ParticipantLeft(ROOM, alice.participantId(), alice.userId(), LeaveReason.TIMED_OUT, null, AT);
        assertThat(roundTrip(left)).isEqualTo(left);

        MediaRestart restart = new MediaRestart(ROOM, MediaRestartReason.RELAY_LOST, "relay-a", "relay-b", AT);
        assertThat(roundTrip(restart)).isEqualTo(restart);
        assertThat(new String(serializer.serialize("t", restart), StandardCharsets.UTF_8))
                .contains("\"type\":\"media-restart\"").contains("\"reason\":\"relay-lost\"");
        ParticipantId stranded = ParticipantId.random(RANDOM);
        MediaRestart some = new MediaRestart(ROOM, MediaRestartReason.RELAY_LOST, "relay-c", null, List.of(stranded), AT);
        assertThat(roundTrip(some)).isEqualTo(some);
        assertThat(restart.restarts(stranded)).isTrue();
        assertThat(some.restarts(stranded)).isTrue();
        assertThat(some.restarts(alice.participantId())).isFalse();
    }

    @Test
    void aPayloadWithoutAddresseesGoesToEveryoneAndAnAddressedOneToItsAddresseesAndSender() {
        ParticipantId sender = ParticipantId.random(RANDOM);
        ParticipantId addressee = ParticipantId.random(RANDOM);
        ParticipantId other = ParticipantId.random(RANDOM);
        PayloadSent broadcast = new PayloadSent(ROOM, sender, PayloadKind.MLS_APPLICATION, "AA==", null, null, AT);
        assertThat(broadcast.addressedTo(other)).isTrue();
        PayloadSent addressed = new PayloadSent(ROOM, sender, PayloadKind.MLS_WELCOME, "AA==", List.of(addressee), null, AT);
        assertThat(addressed.addressedTo(addressee)).isTrue();
        assertThat(addressed.addressedTo(sender)).isTrue();
        assertThat(addressed.addressedTo(other)).isFalse();
    }

    @Test
    void anUnknownEventTypeReadsAsNullSoConsumersCanSkipIt() {
        byte[] future = "{\"type\":\"screen-share-started\",\"roomId\":\"abcd-efgh-ijkl\"}".getBytes(StandardCharsets.UTF_8);
        assertThat(deserializer.deserialize("parley.calls", future)).isNull();
    }

    @Test
    void participantIdsHaveOneForm() {
        assertThat(ParticipantId.random(RANDOM).value()).matches("p-[a-z2-7]{26}");
        assertThatThrownBy(() -> new ParticipantId("p-short")).isInstanceOf(IllegalArgumentException.class);
        assertThat(ParticipantId.isWellFormed(null)).isFalse();
    }

    @Test
    void admissionsRoundTripKeyedByRoomAndUser() {
        Admission admission = new Admission(ROOM, new UserId("guest:ab12"), AdmissionStatus.WAITING,
                InviteCode.random(RANDOM), AT, new UserId("guest:ab12"));
        byte[] bytes = serializer.serialize("parley.admissions", admission);
        assertThat(new AdmissionDeserializer().deserialize("parley.admissions", bytes)).isEqualTo(admission);
        assertThat(admission.key()).isEqualTo("abcd-efgh-ijkl/guest:ab12");
        assertThat(new String(bytes, StandardCharsets.UTF_8)).contains("\"status\":\"waiting\"");
    }
}
