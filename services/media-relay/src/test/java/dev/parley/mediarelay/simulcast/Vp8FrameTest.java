package dev.parley.mediarelay.simulcast;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class Vp8FrameTest {

    /** Descriptor X=1,S=1,PID=0; I=1 with a 15-bit picture id; then a keyframe header 640x480. */
    private static final byte[] KEYFRAME = {(byte) 0x90, (byte) 0x80, (byte) 0x81, 0x23,
            0x10, 0x02, 0x00, (byte) 0x9d, 0x01, 0x2a, (byte) 0x80, 0x02, (byte) 0xe0, 0x01, 0x55};

    @Test
    void readsAKeyframeStartAndItsSize() {
        assertThat(Vp8Frame.isKeyframeStart(KEYFRAME, 0, KEYFRAME.length)).isTrue();
        int size = Vp8Frame.keyframeSize(KEYFRAME, 0, KEYFRAME.length);
        assertThat(size >>> 16).isEqualTo(640);
        assertThat(size & 0xFFFF).isEqualTo(480);
    }

    @Test
    void deltaFramesContinuationsAndShortPayloadsAreNoKeyframes() {
        byte[] delta = KEYFRAME.clone();
        delta[4] = 0x11; // P=1
        assertThat(Vp8Frame.isKeyframeStart(delta, 0, delta.length)).isFalse();
        byte[] continuation = KEYFRAME.clone();
        continuation[0] = (byte) 0x80; // S=0
        assertThat(Vp8Frame.isKeyframeStart(continuation, 0, continuation.length)).isFalse();
        assertThat(Vp8Frame.isKeyframeStart(KEYFRAME, 0, 3)).isFalse();
        assertThat(Vp8Frame.keyframeSize(KEYFRAME, 0, 9)).as("size bytes cut off").isZero();
    }
}
