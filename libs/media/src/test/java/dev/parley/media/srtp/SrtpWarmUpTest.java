package dev.parley.media.srtp;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatCode;

class SrtpWarmUpTest {

    @Test
    void everyProfileRoundTripsAnRtpAndAnRtcpPacket() {
        assertThatCode(SrtpWarmUp::run).doesNotThrowAnyException();
        assertThatCode(SrtpWarmUp::run).as("a second run reuses the choices").doesNotThrowAnyException();
    }
}
