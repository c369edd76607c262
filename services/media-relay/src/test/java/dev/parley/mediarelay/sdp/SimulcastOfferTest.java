package dev.parley.mediarelay.sdp;

import dev.parley.media.dtls.DtlsFingerprint;
import dev.parley.mediarelay.ice.IceCredentials;
import dev.parley.mediarelay.rtp.PublishedTrack;
import dev.parley.mediarelay.session.SessionAnswer.Candidate;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SimulcastOfferTest {

    /** Chromium's camera section with three encodings: RIDs, no a=ssrc lines (as Chromium 156 offers them). */
    static String simulcastOffer() {
        String offer = SdpFixtures.offer(SdpFixtures.AUDIO_VIDEO_SCREEN);
        return offer.replace("a=ssrc-group:FID 2001 2002\r\n", "")
                .replaceAll("a=ssrc:200[12] [^\\r]*\\r\\n", "")
                .replaceFirst("(a=mid:1\\r\\n)", "$1a=rid:q send\r\na=rid:h send\r\na=rid:f send\r\na=simulcast:send q;h;f\r\n");
    }

    @Test
    void aSimulcastCameraIsOneTrackOfThreeStreamsWithTheRelaysOwnSsrcs() {
        SdpOffer offer = SdpParser.parse(simulcastOffer());
        MediaSection camera = offer.sections().get(1);
        assertThat(camera.simulcastRids()).containsExactly("q", "h", "f");
        List<PublishedTrack> tracks = OfferedTracks.of(offer);
        PublishedTrack track = tracks.get(1);
        assertThat(track.simulcast()).isTrue();
        assertThat(track.rids()).containsExactly("q", "h", "f");
        assertThat(track.rtx()).isPresent();
        assertThat(track.format().orElseThrow().extensionId(HeaderExtensionSelection.RTP_STREAM_ID)).isEqualTo(10);
        assertThat(track.format().orElseThrow().extensionId(HeaderExtensionSelection.REPAIRED_RTP_STREAM_ID)).isEqualTo(11);
        assertThat(tracks.get(2).simulcast()).as("the screen share is sent as one stream").isFalse();
        assertThat(tracks.get(2).format().orElseThrow().extensionId(HeaderExtensionSelection.RTP_STREAM_ID)).isZero();
    }

    @Test
    void theAnswerReceivesTheOfferedStreams() {
        SdpOffer offer = SdpParser.parse(simulcastOffer());
        String answer = new SdpAnswerer(IceCredentials.random(), new DtlsFingerprint("sha-256",
                "7E:E2:04:1C:EC:10:DA:EC:44:9D:F1:98:E8:54:91:E2:3F:47:A0:3D:0C:10:EF:9F:E1:E4:03:B5:CF:ED:CD:E1"),
                Candidate.host("203.0.113.7", 10000)).answer(offer, 1);
        String camera = answer.substring(answer.indexOf("a=mid:1"), answer.indexOf("a=mid:2"));
        assertThat(camera).contains("a=recvonly", "a=rid:q recv\r\na=rid:h recv\r\na=rid:f recv\r\n",
                "a=simulcast:recv q;h;f", "a=extmap:10 urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id",
                "a=extmap:11 urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id");
        assertThat(camera).doesNotContain("goog-remb");
        String screen = answer.substring(answer.indexOf("a=mid:2"));
        assertThat(screen).doesNotContain("a=simulcast", "rtp-stream-id");
    }

    @Test
    void malformedOrUnanswerableSimulcastIsRefused() {
        assertThatThrownBy(() -> SdpParser.parse(simulcastOffer().replace("a=rid:h send\r\n", "")))
                .isInstanceOf(SdpOfferException.class).hasMessageContaining("rid h");
        assertThatThrownBy(() -> SdpParser.parse(simulcastOffer().replace("a=rid:q send", "a=rid:q! send")))
                .isInstanceOf(SdpOfferException.class).hasMessageContaining("a=rid");
        assertThatThrownBy(() -> SdpParser.parse(simulcastOffer().replace("send q;h;f", "send q;h;f;a;b")))
                .isInstanceOf(SdpOfferException.class).hasMessageContaining("at most");
        String withoutRidExtension = simulcastOffer().replace("a=extmap:10 urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id\r\n", "");
        assertThatThrownBy(() -> OfferedTracks.of(SdpParser.parse(withoutRidExtension)))
                .isInstanceOf(SdpOfferException.class).hasMessageContaining("rtp-stream-id");
    }
}
