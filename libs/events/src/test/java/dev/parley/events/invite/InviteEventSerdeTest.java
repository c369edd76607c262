package dev.parley.events.invite;

import dev.parley.events.identity.UserId;
import dev.parley.events.room.RoomId;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InviteEventSerdeTest {

    private static final Instant AT = Instant.parse("2026-11-25T10:00:00Z");
    private final SecureRandom random = new SecureRandom();

    private InviteState invite() {
        return new InviteState(InviteCode.random(random), RoomId.random(random), InviteRole.GUEST,
                new UserId("host"), AT, AT.plusSeconds(3600), 10, 0, null);
    }

    @Test
    void roundTripsCreatedAndRevoked() {
        InviteState invite = invite();
        InviteEventSerializer serializer = new InviteEventSerializer();
        InviteEventDeserializer deserializer = new InviteEventDeserializer();
        for (InviteEvent event : new InviteEvent[]{new InviteCreated(invite, AT, new UserId("host")),
                new InviteRevoked(invite.revokedAt(AT.plusSeconds(5)), AT.plusSeconds(5), new UserId("host"))}) {
            byte[] json = serializer.serialize("t", event);
            assertThat(new String(json, StandardCharsets.UTF_8)).contains("\"role\":\"guest\"");
            assertThat(deserializer.deserialize("t", json)).isEqualTo(event);
        }
    }

    @Test
    void usabilityFollowsRevocationExpiryAndUses() {
        InviteState invite = invite();
        assertThat(invite.usableAt(AT.plusSeconds(1))).isTrue();
        assertThat(invite.usableAt(AT.plusSeconds(3600))).isFalse();
        assertThat(invite.revokedAt(AT.plusSeconds(1)).usableAt(AT.plusSeconds(2))).isFalse();
        InviteState usedUp = new InviteState(invite.code(), invite.roomId(), invite.role(), invite.createdBy(),
                AT, AT.plusSeconds(3600), 2, 2, null);
        assertThat(usedUp.usableAt(AT.plusSeconds(1))).isFalse();
    }

    @Test
    void invariantsHold() {
        InviteState invite = invite();
        assertThatThrownBy(() -> new InviteState(invite.code(), invite.roomId(), invite.role(), invite.createdBy(),
                AT, AT, 1, 0, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new InviteState(invite.code(), invite.roomId(), invite.role(), invite.createdBy(),
                AT, AT.plusSeconds(1), 1, 2, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new InviteCode("short")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aCodeNeverAppearsWholeInLogs() {
        InviteCode code = InviteCode.random(random);
        assertThat(code.toString()).hasSize(5).doesNotContain(code.value().substring(4));
    }
}
