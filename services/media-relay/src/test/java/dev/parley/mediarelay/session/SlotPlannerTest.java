package dev.parley.mediarelay.session;

import dev.parley.mediarelay.rtp.MediaKind;
import dev.parley.mediarelay.rtp.PublishedTrack;
import dev.parley.mediarelay.rtp.SectionFormat;
import dev.parley.mediarelay.rtp.Ssrc;
import dev.parley.mediarelay.rtp.TrackSource;
import dev.parley.mediarelay.sdp.Direction;
import dev.parley.mediarelay.sdp.MediaSection;
import dev.parley.mediarelay.sdp.RtpCodec;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Which track each receiving section carries, offer after offer. */
class SlotPlannerTest {

    private static final RtpCodec VP8 = new RtpCodec(96, "VP8", "90000", Optional.empty(), List.of());
    private static final RtpCodec OPUS = new RtpCodec(111, "opus", "48000/2", Optional.empty(), List.of());

    private static MediaSection receiving(String mid, String kind) {
        return new MediaSection(kind, 9, "UDP/TLS/RTP/SAVPF", List.of(), Optional.of(mid), Direction.RECVONLY, true,
                List.of("video".equals(kind) ? VP8 : OPUS), List.of(), List.of(), Map.of(), null);
    }

    private static Feed feed(long ssrc, MediaKind kind) {
        RtpCodec codec = kind == MediaKind.VIDEO ? VP8 : OPUS;
        return new Feed(null, new PublishedTrack(Long.toString(ssrc), new Ssrc(ssrc), kind, Optional.empty(),
                TrackSource.defaultFor(kind), Optional.of(new SectionFormat("0", List.of(codec), List.of()))));
    }

    private static Optional<Long> carried(Map<String, Slot> slots, String mid) {
        return slots.get(mid).feed().map(feed -> feed.track().ssrc().value());
    }

    @Test
    void newTracksGoToFreeSlotsOfTheirKindInOfferOrder() {
        Feed camera = feed(1, MediaKind.VIDEO);
        Feed screen = feed(2, MediaKind.VIDEO);
        Feed voice = feed(3, MediaKind.AUDIO);
        Map<String, Slot> slots = SlotPlanner.plan(
                List.of(receiving("a", "audio"), receiving("v1", "video"), receiving("v2", "video"), receiving("v3", "video")),
                Map.of(), List.of(camera, voice, screen));
        assertThat(carried(slots, "a")).contains(3L);
        assertThat(carried(slots, "v1")).contains(1L);
        assertThat(carried(slots, "v2")).contains(2L);
        assertThat(carried(slots, "v3")).isEmpty();
    }

    @Test
    void aSlotKeepsItsTrackAndAGoneTracksSlotIsInactiveBeforeItIsReused() {
        Feed camera = feed(1, MediaKind.VIDEO);
        Feed screen = feed(2, MediaKind.VIDEO);
        List<MediaSection> sections = List.of(receiving("v1", "video"), receiving("v2", "video"));
        Map<String, Slot> first = SlotPlanner.plan(sections, Map.of(), List.of(camera, screen));

        // The camera leaves and a new track arrives: v1 goes inactive, not straight to the newcomer.
        Feed newcomer = feed(3, MediaKind.VIDEO);
        Map<String, Slot> second = SlotPlanner.plan(sections, first, List.of(screen, newcomer));
        assertThat(carried(second, "v1")).isEmpty();
        assertThat(carried(second, "v2")).contains(2L);

        Map<String, Slot> third = SlotPlanner.plan(sections, second, List.of(screen, newcomer));
        assertThat(carried(third, "v1")).contains(3L);
        assertThat(carried(third, "v2")).contains(2L);
    }

    @Test
    void aSlotLeftOutOfTheOfferIsForgotten() {
        Feed camera = feed(1, MediaKind.VIDEO);
        Map<String, Slot> first = SlotPlanner.plan(List.of(receiving("v1", "video")), Map.of(), List.of(camera));
        Map<String, Slot> second = SlotPlanner.plan(List.of(receiving("v2", "video")), first, List.of(camera));
        assertThat(second).containsOnlyKeys("v2");
        assertThat(carried(second, "v2")).contains(1L);
    }
}
