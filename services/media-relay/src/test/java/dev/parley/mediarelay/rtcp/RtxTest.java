package dev.parley.mediarelay.rtcp;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** RFC 4588 §4. */
class RtxTest {

    /** V=2, P, X, CC=1, M, PT 96, seq 0x1234, ts, SSRC 0x0A0B0C0D, one CSRC, a one-word extension, 3 payload bytes, 2 padding bytes. */
    private static final byte[] ORIGINAL = {
            (byte) 0xB1, (byte) (0x80 | 96), 0x12, 0x34, 0, 0, 0x10, 0, 0x0A, 0x0B, 0x0C, 0x0D,
            0, 0, 0, 0x42,                           // CSRC
            (byte) 0xBE, (byte) 0xDE, 0, 1, 0x10, 0x55, 0, 0,  // RFC 8285 one-byte extension block
            'a', 'b', 'c',
            0, 2};

    private static final byte[] RTX = {
            (byte) 0x91, (byte) (0x80 | 97), 0, 7, 0, 0, 0x10, 0, 0, 0, 0, 0x63,
            0, 0, 0, 0x42,
            (byte) 0xBE, (byte) 0xDE, 0, 1, 0x10, 0x55, 0, 0,
            0x12, 0x34,                              // OSN
            'a', 'b', 'c'};

    @Test
    void wrapsWithTheRtxHeaderFieldsTheOriginalSequenceNumberAndNoPadding() {
        byte[] buffer = RtcpCompoundTest.concat(new byte[5], ORIGINAL);

        assertThat(Rtx.wrap(buffer, 5, ORIGINAL.length, 97, 0x63, 7)).hasValueSatisfying(rtx -> assertThat(rtx).isEqualTo(RTX));
    }

    @Test
    void unwrapsToTheOriginalWithoutItsPadding() {
        byte[] expected = {
                (byte) 0x91, (byte) (0x80 | 96), 0x12, 0x34, 0, 0, 0x10, 0, 0x0A, 0x0B, 0x0C, 0x0D,
                0, 0, 0, 0x42,
                (byte) 0xBE, (byte) 0xDE, 0, 1, 0x10, 0x55, 0, 0,
                'a', 'b', 'c'};

        assertThat(Rtx.unwrap(RTX, 0, RTX.length, 96, 0x0A0B0C0DL)).hasValueSatisfying(p -> assertThat(p).isEqualTo(expected));
    }

    @Test
    void aPaddingOnlyProbeHasNoOriginal() {
        byte[] probe = {(byte) 0xA0, 97, 0, 8, 0, 0, 0, 1, 0, 0, 0, 0x63, 0, 0, 0, 4};

        assertThat(Rtx.unwrap(probe, 0, probe.length, 96, 1)).isEmpty();
    }

    @Test
    void malformedPacketsAreNeitherWrappedNorUnwrapped() {
        byte[] extensionPastTheEnd = {(byte) 0x90, 96, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, (byte) 0xBE, (byte) 0xDE, 0, 5};
        byte[] paddingPastTheEnd = {(byte) 0xA0, 96, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 9};
        byte[] csrcsPastTheEnd = {(byte) 0x83, 96, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0};

        assertThat(Rtx.wrap(extensionPastTheEnd, 0, extensionPastTheEnd.length, 97, 1, 1)).isEmpty();
        assertThat(Rtx.wrap(paddingPastTheEnd, 0, paddingPastTheEnd.length, 97, 1, 1)).isEmpty();
        assertThat(Rtx.unwrap(csrcsPastTheEnd, 0, csrcsPastTheEnd.length, 96, 1)).isEmpty();
        assertThat(Rtx.wrap(new byte[] {0x40, 96, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1}, 0, 12, 97, 1, 1)).as("version 1").isEmpty();
    }

    @Test
    void wrapThenUnwrapGivesBackAPacketWithoutPadding() {
        byte[] plain = RetransmissionCacheTest.rtp(65535, 9);

        byte[] rtx = Rtx.wrap(plain, 0, plain.length, 97, 0xFFFF_FFFFL, 0).orElseThrow();

        assertThat(Rtx.unwrap(rtx, 0, rtx.length, 96, 2)).hasValueSatisfying(p -> assertThat(p).isEqualTo(plain));
    }
}
