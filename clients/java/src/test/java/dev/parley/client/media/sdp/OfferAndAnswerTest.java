package dev.parley.client.media.sdp;

import dev.parley.client.media.ice.IceCredentials;
import dev.parley.media.dtls.DtlsFingerprint;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The offer a browser would write, and what the client reads of the relay's answer. */
class OfferAndAnswerTest {

    private static final DtlsFingerprint FINGERPRINT = new DtlsFingerprint("sha-256",
            "5E:7A:2C:9B:11:43:8F:D0:6A:3B:C4:E2:90:17:AB:CD:EF:01:23:45:67:89:0A:BC:DE:F0:12:34:56:78:9A:BC");
    private static final IceCredentials ICE = new IceCredentials("Xk3fAbCd", "qW2m8Kz0vT5rYb1nLp7cHs4d");

    @Test
    void theOfferBundlesEverySectionWithTransportCodecsAndSsrcs() {
        String offer = new OfferWriter(ICE, FINGERPRINT, "cname1", "stream1", 42).offer(List.of(
                LocalSection.sending("0", MediaKind.AUDIO, 1001, OptionalLong.empty(), "microphone"),
                LocalSection.sending("1", MediaKind.VIDEO, 2001, OptionalLong.of(2002), "camera"),
                LocalSection.receiving("2", MediaKind.AUDIO),
                LocalSection.receiving("3", MediaKind.VIDEO)), 2);

        assertThat(offer).startsWith("v=0\r\no=- 42 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0 1 2 3\r\n");
        String[] sections = offer.split("(?=m=)");
        assertThat(sections).hasSize(5);
        for (int i = 1; i < 5; i++) {
            assertThat(sections[i]).contains("a=mid:" + (i - 1) + "\r\n", "a=ice-ufrag:Xk3fAbCd\r\n",
                    "a=ice-pwd:qW2m8Kz0vT5rYb1nLp7cHs4d\r\n", "a=fingerprint:sha-256 " + FINGERPRINT.value() + "\r\n",
                    "a=setup:actpass\r\n", "a=rtcp-mux\r\n", "a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid\r\n");
        }
        assertThat(sections[1]).startsWith("m=audio 9 UDP/TLS/RTP/SAVPF 111\r\n").contains("a=sendonly\r\n",
                "a=rtpmap:111 opus/48000/2\r\n", "a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level\r\n",
                "a=msid:stream1 microphone\r\n", "a=ssrc:1001 cname:cname1\r\n", "a=ssrc:1001 msid:stream1 microphone\r\n");
        assertThat(sections[2]).startsWith("m=video 9 UDP/TLS/RTP/SAVPF 96 97\r\n").contains("a=sendonly\r\n",
                "a=rtpmap:96 VP8/90000\r\n", "a=rtcp-fb:96 nack\r\n", "a=rtcp-fb:96 nack pli\r\n",
                "a=rtcp-fb:96 ccm fir\r\n", "a=rtpmap:97 rtx/90000\r\n", "a=fmtp:97 apt=96\r\n",
                "a=ssrc-group:FID 2001 2002\r\n", "a=ssrc:2002 msid:stream1 camera\r\n");
        assertThat(sections[3]).contains("a=recvonly\r\n").doesNotContain("a=ssrc", "a=msid");
        assertThat(sections[4]).startsWith("m=video").contains("a=recvonly\r\n").doesNotContain("a=ssrc");
    }

    @Test
    void theAnswerGivesCredentialsFingerprintCandidateAndEachSection() {
        String answer = String.join("\r\n",
                "v=0", "o=- 7 1 IN IP4 127.0.0.1", "s=-", "t=0 0", "a=group:BUNDLE 0 1 2", "a=ice-lite",
                "m=audio 10000 UDP/TLS/RTP/SAVPF 111", "c=IN IP4 127.0.0.1", "a=mid:0", "a=ice-ufrag:rlyU",
                "a=ice-pwd:relayPassword0123456789ab", "a=fingerprint:sha-256 " + FINGERPRINT.value(), "a=setup:passive",
                "a=rtcp-mux", "a=recvonly", "a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level",
                "a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid", "a=rtpmap:111 opus/48000/2",
                "a=candidate:1 1 udp 2130706431 127.0.0.1 10000 typ host", "a=end-of-candidates",
                "m=video 10000 UDP/TLS/RTP/SAVPF 96 97", "a=mid:1", "a=ice-ufrag:rlyU",
                "a=ice-pwd:relayPassword0123456789ab", "a=fingerprint:sha-256 " + FINGERPRINT.value(), "a=sendonly",
                "a=msid:p-abc p-abc-1", "a=ssrc-group:FID 77 78", "a=ssrc:77 cname:x", "a=ssrc:77 msid:p-abc p-abc-1",
                "a=ssrc:78 cname:x",
                "m=application 0 UDP/DTLS/SCTP webrtc-datachannel", "a=mid:2", "");

        RemoteDescription remote = RemoteDescription.parse(answer);

        assertThat(remote.iceLite()).isTrue();
        assertThat(remote.ice()).isEqualTo(new IceCredentials("rlyU", "relayPassword0123456789ab"));
        assertThat(remote.fingerprint()).isEqualTo(FINGERPRINT);
        assertThat(remote.candidate()).isEqualTo(new HostCandidate("127.0.0.1", 10000));
        assertThat(remote.sections()).extracting(RemoteSection::mid).containsExactly("0", "1", "2");
        RemoteSection audio = remote.section("0").orElseThrow();
        assertThat(audio.direction()).isEqualTo(Direction.RECVONLY);
        assertThat(audio.extensionId("urn:ietf:params:rtp-hdrext:sdes:mid")).contains(4);
        assertThat(audio.extensionId("urn:ietf:params:rtp-hdrext:ssrc-audio-level")).contains(1);
        RemoteSection video = remote.section("1").orElseThrow();
        assertThat(video.direction()).isEqualTo(Direction.SENDONLY);
        assertThat(video.ssrcs()).containsExactly(77L, 78L);
        assertThat(video.msid()).contains("p-abc p-abc-1");
        assertThat(remote.section("2").orElseThrow().accepted()).isFalse();
    }

    @Test
    void anAnswerWithoutACandidateIsRefused() {
        assertThatThrownBy(() -> RemoteDescription.parse("v=0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=mid:0\r\n"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
