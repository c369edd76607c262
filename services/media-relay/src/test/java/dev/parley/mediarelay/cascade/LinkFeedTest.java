package dev.parley.mediarelay.cascade;

import dev.parley.mediarelay.placement.RelayId;
import dev.parley.mediarelay.rtp.MediaKind;
import dev.parley.mediarelay.rtp.PublishedTrack;
import dev.parley.mediarelay.rtp.SectionFormat;
import dev.parley.mediarelay.rtp.Ssrc;
import dev.parley.mediarelay.rtp.TrackSource;
import dev.parley.mediarelay.sdp.RtpCodec;
import dev.parley.mediarelay.session.RenderedSize;
import dev.parley.mediarelay.session.RoomId;
import dev.parley.mediarelay.simulcast.LayerSwitch;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A link as a subscriber of this relay's tracks: what it forwards before and after the other relay
 * said what its participants receive, how a paused track resumes (at a keyframe, its numbers and
 * timestamps going on without a gap, and a NACK for the link's numbers finding the original), and
 * what the receiving message says.
 */
class LinkFeedTest {

    private static final long MS = 1_000_000L;
    private final PublishedTrack camera = new PublishedTrack("1", new Ssrc(2001), MediaKind.VIDEO,
            Optional.of(new Ssrc(2002)), TrackSource.CAMERA, Optional.of(new SectionFormat("1",
            List.of(new RtpCodec(96, "VP8", "90000", Optional.empty(), List.of("nack", "nack pli")),
                    new RtpCodec(97, "rtx", "90000", Optional.of("apt=96"), List.of())), List.of())));
    private final PublishedTrack microphone = new PublishedTrack("0", new Ssrc(1001), MediaKind.AUDIO, Optional.empty(),
            TrackSource.MICROPHONE, Optional.of(new SectionFormat("0",
            List.of(new RtpCodec(111, "opus", "48000/2", Optional.empty(), List.of())), List.of())));
    private final Link link = new Link(new RoomId("abcd-efgh-ijkl"), new RelayId("relay-us-1"),
            LinkKey.random(new SecureRandom()));

    @Test
    void aRelayThatSaidNothingGetsEveryTrackAsItWasSent() {
        assertThat(link.receives(camera)).isTrue();
        LayerSwitch feed = link.feed(camera);
        assertThat(feed.accept(0, 500, 9000, false, 0)).hasValue(new LayerSwitch.Forward(2001, 500, 9000));
        assertThat(link.feed(camera.ssrc())).containsSame(feed);
    }

    @Test
    void aTrackNobodyThereReceivesIsHeldFromItsFirstPacket() {
        link.receiving(Map.of(new Ssrc(9999), Optional.empty()));
        assertThat(link.receives(camera)).isFalse();
        assertThat(link.feed(camera).accept(0, 500, 9000, true, 0)).isEmpty();
        assertThat(link.receives(microphone)).as("audio goes whatever the other relay receives").isTrue();
        assertThat(link.feed(microphone).accept(0, 7, 960, true, 0)).isPresent();
    }

    @Test
    void aResumedTrackStartsAtAKeyframeWithoutAGapInItsNumbers() {
        LayerSwitch feed = link.feed(camera);
        for (int i = 0; i < 10; i++) {
            assertThat(feed.accept(0, 100 + i, 3000L * i, i == 0, i * 33 * MS)).isPresent();
        }
        assertThat(feed.target(LayerSwitch.PAUSED)).isTrue(); // nobody there renders it any more
        assertThat(feed.accept(0, 110, 30_000, false, 330 * MS)).isEmpty();
        assertThat(feed.target(0)).isTrue(); // someone does again
        assertThat(feed.keyframeDue(2_000 * MS)).as("a keyframe is asked for on resume").isZero();
        assertThat(feed.accept(0, 200, 300_000, false, 3_000 * MS)).as("not before a keyframe").isEmpty();
        Optional<LayerSwitch.Forward> resumed = feed.accept(0, 201, 303_000, true, 3_000 * MS);
        assertThat(resumed).hasValueSatisfying(to -> {
            assertThat(to.sequenceNumber()).as("the link's numbers go on at last + 1").isEqualTo(110);
            assertThat(to.timestamp()).isGreaterThan(27_000);
        });
        // The other relay NACKs by the link's numbers: they map back to the publisher's.
        assertThat(feed.origin(110)).hasValueSatisfying(origin -> assertThat(origin.sequenceNumber()).isEqualTo(201));
        assertThat(feed.origin(105)).hasValueSatisfying(origin -> assertThat(origin.sequenceNumber()).isEqualTo(105));
        // And a sender report's RTP time moves by the same offset as the packets' timestamps.
        assertThat(feed.timestampOffset(0)).hasValue((resumed.get().timestamp() - 303_000) & 0xFFFF_FFFFL);
    }

    @Test
    void whatTheOtherRelayReceivesIsToldOnlyWhenItChanged() {
        Map<Ssrc, Optional<RenderedSize>> received = Map.of(camera.ssrc(), Optional.of(new RenderedSize(320, 180)));
        assertThat(link.tellReceiving(received)).isTrue();
        assertThat(link.tellReceiving(Map.copyOf(received))).isFalse();
        link.untoldReceiving();
        assertThat(link.tellReceiving(received)).as("a failed tell is sent again").isTrue();
        assertThat(link.tellReceiving(Map.of())).isTrue();
    }

    @Test
    void theReceivingMessageSaysTracksAndSizes() {
        Map<Ssrc, Optional<RenderedSize>> received = Map.of(new Ssrc(2001), Optional.of(new RenderedSize(640, 360)),
                new Ssrc(1001), Optional.empty());
        LinkReceiving message = LinkReceiving.of(received);
        assertThat(message.tracks()).containsExactly(new LinkReceiving.Track(1001, null, null),
                new LinkReceiving.Track(2001, 640, 360));
        assertThat(message.received()).isEqualTo(received);
        link.receiving(message.received());
        assertThat(link.renderedSize(new Ssrc(2001))).hasValue(new RenderedSize(640, 360));
        assertThat(link.renderedSize(new Ssrc(1001))).isEmpty();
        assertThat(link.receives(new PublishedTrack("2", new Ssrc(1001), MediaKind.VIDEO, Optional.empty(),
                TrackSource.SCREEN, camera.format()))).isTrue();
        assertThat(link.receives(camera)).isTrue();
        assertThatThrownBy(() -> new LinkReceiving(List.of(new LinkReceiving.Track(1, null, null),
                new LinkReceiving.Track(1, 10, 10))).received()).hasMessageContaining("twice");
    }

    @Test
    void theRelayWithTheLowestIdAmongTheLinkedOnesAnnouncesTheDominantSpeaker() {
        RelayId eu = new RelayId("relay-eu-1");
        RelayId us = new RelayId("relay-us-1");
        assertThat(Links.lowest(eu, List.of())).as("a relay alone announces").isTrue();
        assertThat(Links.lowest(eu, List.of(us))).isTrue();
        assertThat(Links.lowest(us, List.of(eu))).isFalse();
        assertThat(Links.lowest(us, List.of(new RelayId("relay-zz-1"), eu))).isFalse();
    }
}
