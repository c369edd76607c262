package dev.parley.client.mls;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SecurityCodeTest {

    @Test
    void sixGroupsOfFiveDigitsFromTheFirstThirtyBytes() {
        byte[] authenticator = new byte[32];
        authenticator[4] = 1;                      // group 0: 1
        authenticator[9] = (byte) 0xff;            // group 1: 255
        Arrays.fill(authenticator, 10, 15, (byte) 0xff); // group 2: 2^40 - 1 = 1099511627775 -> 27775
        authenticator[31] = 7;                     // beyond the 30 bytes used

        assertThat(SecurityCode.of(authenticator)).isEqualTo("00001 00255 27775 00000 00000 00000");
    }

    @Test
    void differentStatesGiveDifferentCodes() {
        byte[] one = new byte[32];
        byte[] other = one.clone();
        other[29] = 1;

        assertThat(SecurityCode.of(one)).isNotEqualTo(SecurityCode.of(other));
        assertThatThrownBy(() -> SecurityCode.of(new byte[29])).isInstanceOf(IllegalArgumentException.class);
    }
}
