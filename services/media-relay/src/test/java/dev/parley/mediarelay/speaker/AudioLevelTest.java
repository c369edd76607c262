package dev.parley.mediarelay.speaker;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** RFC 6464 §3. */
class AudioLevelTest {

    @Test
    void theTopBitIsVoiceActivityAndTheRestTheLevel() {
        assertThat(AudioLevel.fromByte(0x80 | 30)).isEqualTo(new AudioLevel(30, true));
        assertThat(AudioLevel.fromByte(0x7F)).isEqualTo(new AudioLevel(AudioLevel.SILENCE, false));
        assertThat(AudioLevel.fromByte(0x80)).isEqualTo(new AudioLevel(0, true));
        assertThat(AudioLevel.fromByte((byte) 0xFF)).isEqualTo(new AudioLevel(127, true));
    }

    @Test
    void aLevelIsSevenBits() {
        assertThatThrownBy(() -> new AudioLevel(128, false)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AudioLevel(-1, false)).isInstanceOf(IllegalArgumentException.class);
    }
}
