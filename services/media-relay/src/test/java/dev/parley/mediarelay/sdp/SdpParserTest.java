package dev.parley.mediarelay.sdp;

import dev.parley.mediarelay.rtp.MediaKind;
import dev.parley.mediarelay.rtp.PublishedTrack;
import dev.parley.mediarelay.rtp.Ssrc;
import dev.parley.mediarelay.rtp.TrackSource;
import dev.parley.mediarelay.sdp.SdpOfferException.Reason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SdpParserTest {

    private static final String OFFER = SdpFixtures.offer(SdpFixtures.AUDIO_VIDEO_SCREEN);

    @Test
    void readsAChromiumOffer() {
        SdpOffer offer = SdpParser.parse(OFFER);

        assertThat(offer.bundleMids()).containsExactly("0", "1", "2");
        assertThat(offer.ice().ufrag()).isEqualTo("Xk3f");
        assertThat(offer.ice().password()).isEqualTo("qW2m8Kz0vT5rYb1nLp7cHs4d");
        assertThat(offer.fingerprint().value()).startsWith("5E:7A:2C");
        assertThat(offer.sections()).extracting(MediaSection::kind).containsExactly("audio", "video", "video");
        assertThat(offer.sections()).extracting(MediaSection::direction)
                .containsExactly(Direction.SENDRECV, Direction.SENDRECV, Direction.SENDONLY);
        MediaSection camera = offer.sections().get(1);
        assertThat(camera.codecs()).extracting(RtpCodec::payloadType)
                .containsExactly(96, 97, 98, 99, 45, 46, 102, 103, 116, 117, 118);
        assertThat(camera.codecs().get(1).associatedPayloadType()).contains(96);
        assertThat(camera.codecs().get(0).rtcpFb()).contains("nack pli", "goog-remb");
        assertThat(camera.ssrcs()).containsExactly(2001L, 2002L);
        assertThat(camera.rtxByMediaSsrc()).containsEntry(2001L, 2002L);
    }

    @Test
    void eachSendingSectionIsATrackNamedByItsMid() {
        List<PublishedTrack> tracks = OfferedTracks.of(SdpParser.parse(OFFER), Map.of("2", TrackSource.SCREEN));
        assertThat(tracks).extracting(PublishedTrack::trackId).containsExactly("0", "1", "2");
        assertThat(tracks).extracting(PublishedTrack::ssrc).containsExactly(new Ssrc(1001), new Ssrc(2001), new Ssrc(3001));
        assertThat(tracks).extracting(PublishedTrack::rtx)
                .containsExactly(Optional.empty(), Optional.of(new Ssrc(2002)), Optional.of(new Ssrc(3002)));
        assertThat(tracks).extracting(PublishedTrack::kind).containsExactly(MediaKind.AUDIO, MediaKind.VIDEO, MediaKind.VIDEO);
        assertThat(tracks).extracting(PublishedTrack::source)
                .containsExactly(TrackSource.MICROPHONE, TrackSource.CAMERA, TrackSource.SCREEN);
        assertThat(tracks.get(1).format().orElseThrow().extensionId(HeaderExtensionSelection.MID)).isEqualTo(9);
    }

    @Test
    void aSendingSectionNeedsExactlyOneMediaSsrc() {
        String withoutSsrc = OFFER.lines().filter(line -> !line.startsWith("a=ssrc:1001"))
                .collect(Collectors.joining("\r\n", "", "\r\n"));
        assertThatThrownBy(() -> OfferedTracks.of(SdpParser.parse(withoutSsrc)))
                .isInstanceOfSatisfying(SdpOfferException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.UNSUPPORTED_TRACK));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "a=group:BUNDLE 0 1 2|a=group:LS 0 1 2|NO_BUNDLE",
        "a=mid:2|a=mid:7|NO_BUNDLE",
        "a=rtcp-mux|a=rtcp-muxed|NO_RTCP_MUX",
        "a=fingerprint:sha-256|a=fingerprint:sha-1|NO_FINGERPRINT",
        "a=ice-pwd:qW2m8Kz0vT5rYb1nLp7cHs4d|a=ice-pwd:short|NO_ICE_CREDENTIALS",
        "a=rtpmap:96 VP8/90000|a=rtpmap:96 VP7/90000|NO_COMMON_CODEC",
        "a=rtpmap:111 opus/48000/2|a=rtpmap:111 speex/48000|NO_COMMON_CODEC",
        "v=0|v=1|MALFORMED",
        "s=-|s -|MALFORMED",
        "a=ssrc:1001 cname|a=ssrc:99999999999 cname|MALFORMED",
    })
    void refusesWhatItCannotAnswer(String from, String to, Reason reason) {
        String bad = OFFER.replace(from, to);
        assertThat(bad).isNotEqualTo(OFFER);
        assertThatThrownBy(() -> SdpParser.parse(bad))
                .isInstanceOfSatisfying(SdpOfferException.class, e -> assertThat(e.reason()).isEqualTo(reason));
    }

    @Test
    void refusesAnOfferWithoutFingerprintOrIce() {
        String noFingerprint = OFFER.lines().filter(line -> !line.startsWith("a=fingerprint"))
                .reduce("", (sdp, line) -> sdp + line + "\r\n");
        String noIce = OFFER.lines().filter(line -> !line.startsWith("a=ice-ufrag"))
                .reduce("", (sdp, line) -> sdp + line + "\r\n");

        assertThatThrownBy(() -> SdpParser.parse(noFingerprint)).isInstanceOfSatisfying(SdpOfferException.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.NO_FINGERPRINT));
        assertThatThrownBy(() -> SdpParser.parse(noIce)).isInstanceOfSatisfying(SdpOfferException.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.NO_ICE_CREDENTIALS));
    }
}
