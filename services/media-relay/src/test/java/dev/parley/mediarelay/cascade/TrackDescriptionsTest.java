package dev.parley.mediarelay.cascade;

import dev.parley.events.call.ParticipantId;
import dev.parley.mediarelay.rtp.PublishedTrack;
import dev.parley.mediarelay.rtp.TrackSource;
import dev.parley.mediarelay.sdp.OfferedTracks;
import dev.parley.mediarelay.sdp.SdpFixtures;
import dev.parley.mediarelay.sdp.SdpParser;
import dev.parley.runtime.problem.ProblemException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Link track descriptions: what a relay tells the others of its tracks, and what it accepts back. */
class TrackDescriptionsTest {

    private static final ParticipantId ALICE = new ParticipantId("p-" + "a".repeat(26));
    private static final ParticipantId BOB = new ParticipantId("p-" + "b".repeat(26));

    /** A Chromium offer's audio, camera and screen, with their formats as the relay negotiated them. */
    private static List<PublishedTrack> chromiumTracks() {
        return OfferedTracks.of(SdpParser.parse(SdpFixtures.offer(SdpFixtures.AUDIO_VIDEO_SCREEN)),
                Map.of("2", TrackSource.SCREEN));
    }

    @Test
    void describedTracksParseBackToTheSameTracksByParticipant() {
        List<PublishedTrack> tracks = chromiumTracks();
        List<LinkTrack> described = new ArrayList<>();
        tracks.forEach(track -> described.add(TrackDescriptions.describe(ALICE, track)));
        described.add(TrackDescriptions.describe(BOB, withSsrcs(tracks.get(0), 77, null)));

        Map<ParticipantId, List<PublishedTrack>> parsed = TrackDescriptions.parse(described);

        assertThat(parsed).containsOnlyKeys(ALICE, BOB);
        assertThat(parsed.get(ALICE)).isEqualTo(tracks);
        assertThat(parsed.get(BOB)).hasSize(1);
        assertThat(parsed.get(BOB).get(0).ssrc().value()).isEqualTo(77);
        assertThat(parsed.get(ALICE).get(1).rtx()).as("the camera's RTX SSRC travels along").isPresent();
        assertThat(parsed.get(ALICE).get(2).source()).isEqualTo(TrackSource.SCREEN);
    }

    @Test
    void inconsistentDescriptionsAreRefused() {
        PublishedTrack audio = chromiumTracks().get(0);
        LinkTrack described = TrackDescriptions.describe(ALICE, audio);

        assertRefused(List.of(described, described), "described twice");
        assertRefused(List.of(described, TrackDescriptions.describe(BOB, audio)), "used twice");
        assertRefused(List.of(new LinkTrack(described.participantId(), "0", "audio", "camera", 5, null, "0",
                described.codecs(), described.extensions())), "cannot show a camera");
        assertRefused(List.of(new LinkTrack(described.participantId(), "0", "audio", "microphone", 5, 5L, "0",
                described.codecs(), described.extensions())), "used twice");
        assertRefused(List.of(new LinkTrack(described.participantId(), "0", "audio", "microphone", 5, null, "0",
                List.of(described.codecs().get(0), described.codecs().get(0)), described.extensions())),
                "payload type");
        LinkTrack.Extension extension = new LinkTrack.Extension(3, "urn:x");
        assertRefused(List.of(new LinkTrack(described.participantId(), "0", "audio", "microphone", 5, null, "0",
                described.codecs(), List.of(extension, extension))), "extension id 3");
    }

    private static void assertRefused(List<LinkTrack> described, String detail) {
        assertThatThrownBy(() -> TrackDescriptions.parse(described)).isInstanceOf(ProblemException.class)
                .satisfies(e -> {
                    assertThat(((ProblemException) e).problem().status()).isEqualTo(400);
                    assertThat(((ProblemException) e).problem().detail()).contains(detail);
                });
    }

    private static PublishedTrack withSsrcs(PublishedTrack track, long ssrc, Long rtx) {
        return new PublishedTrack(track.trackId(), new dev.parley.mediarelay.rtp.Ssrc(ssrc), track.kind(),
                java.util.Optional.ofNullable(rtx).map(dev.parley.mediarelay.rtp.Ssrc::new), track.source(), track.format());
    }
}
