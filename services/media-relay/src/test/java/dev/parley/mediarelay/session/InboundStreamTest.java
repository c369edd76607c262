package dev.parley.mediarelay.session;

import dev.parley.mediarelay.rtp.MediaKind;
import dev.parley.mediarelay.rtp.PublishedTrack;
import dev.parley.mediarelay.rtp.SectionFormat;
import dev.parley.mediarelay.rtp.Ssrc;
import dev.parley.mediarelay.rtp.TrackSource;
import dev.parley.mediarelay.sdp.RtpCodec;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class InboundStreamTest {

    private static final long NOW = 1_000_000_000L;

    @Test
    void aRetransmissionThatFillsAGapIsTakenIntoTheCacheAndNotAskedForAgain() {
        InboundStream stream = new InboundStream(camera(List.of("nack", "nack pli")));
        stream.received(packet(10), 0, 12, NOW);
        stream.received(packet(12), 0, 12, NOW);
        assertThat(stream.nackRound(NOW).nack()).containsExactly(11);

        assertThat(stream.recovered(packet(11), 0, 12, NOW + 1)).isTrue();

        assertThat(stream.cached(11, NOW + 2)).isPresent();
        assertThat(stream.recovered(packet(11), 0, 12, NOW + 3)).as("a second copy fills nothing").isFalse();
        assertThat(stream.recovered(packet(12), 0, 12, NOW + 3)).as("received already").isFalse();
        assertThat(stream.nackRound(NOW + 500_000_000L).nack()).isEmpty();
    }

    /**
     * A browser probing its bandwidth sends RTX copies of the packets it sent last; when the network
     * lost the latest original, its copy is the first the relay sees of it, and the only one.
     */
    @Test
    void aRetransmissionNewerThanAnyOriginalIsTakenAndTheGapBeforeItAskedFor() {
        InboundStream stream = new InboundStream(camera(List.of("nack", "nack pli")));
        stream.received(packet(10), 0, 12, NOW);

        assertThat(stream.recovered(packet(12), 0, 12, NOW + 1)).as("a probe's copy of a lost original").isTrue();

        assertThat(stream.cached(12, NOW + 2)).as("subscribers' NACKs find it").isPresent();
        assertThat(stream.awaitsRecovery()).as("11 is missing now").isTrue();
        assertThat(stream.nackRound(NOW + 2).nack()).containsExactly(11);
        assertThat(stream.recovered(packet(12), 0, 12, NOW + 4)).as("a second copy").isFalse();
    }

    @Test
    void withoutNegotiatedNackTheRelayAsksForNothing() {
        InboundStream stream = new InboundStream(camera(List.of("nack pli", "ccm fir")));
        stream.received(packet(10), 0, 12, NOW);
        stream.received(packet(12), 0, 12, NOW);

        assertThat(stream.asksForRetransmissions()).isFalse();
        assertThat(stream.nackRound(NOW).nack()).isEmpty();
        assertThat(stream.recovered(packet(11), 0, 12, NOW)).isFalse();
    }

    private static PublishedTrack camera(List<String> feedback) {
        return new PublishedTrack("1", new Ssrc(2001), MediaKind.VIDEO, Optional.of(new Ssrc(2002)), TrackSource.CAMERA,
                Optional.of(new SectionFormat("1", List.of(new RtpCodec(96, "VP8", "90000", Optional.empty(), feedback),
                        new RtpCodec(97, "rtx", "90000", Optional.of("apt=96"), List.of())), List.of())));
    }

    private static byte[] packet(int sequence) {
        return new byte[] {(byte) 0x80, 96, (byte) (sequence >> 8), (byte) sequence, 0, 0, 0, 1, 0, 0, 0x07, (byte) 0xD1};
    }
}
