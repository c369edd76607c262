package dev.parley.events.room;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RoomIdTest {

    @Test
    void randomIdsAreWellFormedAndDistinct() {
        SecureRandom random = new SecureRandom();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            RoomId id = RoomId.random(random);
            assertThat(RoomId.isWellFormed(id.value())).isTrue();
            seen.add(id.value());
        }
        assertThat(seen).hasSize(10_000);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "abcd-efgh-ijk", "ABCD-EFGH-IJKL", "abcd-efgh-ijk1", "abcdefghijkl",
            "abcd-efgh-ijkl-", "../a-bcde-fghi", "abcd_efgh_ijkl"})
    void rejectsMalformedIds(String candidate) {
        assertThat(RoomId.isWellFormed(candidate)).isFalse();
        assertThatThrownBy(() -> new RoomId(candidate)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void settingsEnforceTheirBounds() {
        assertThatThrownBy(() -> new RoomSettings(" ", false, false, 10, false))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RoomSettings("x".repeat(121), false, false, 10, false))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RoomSettings("ok", false, false, 1, false))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RoomSettings("ok", false, false, 1001, false))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(new RoomSettings("ok", false, false, 1000, false).maxParticipants()).isEqualTo(1000);
    }
}
