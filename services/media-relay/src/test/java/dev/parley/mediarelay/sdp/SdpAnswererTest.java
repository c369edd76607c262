package dev.parley.mediarelay.sdp;

import dev.parley.media.dtls.DtlsFingerprint;
import dev.parley.mediarelay.ice.IceCredentials;
import dev.parley.mediarelay.session.SessionAnswer.Candidate;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SdpAnswererTest {

    private static final IceCredentials RELAY_ICE = new IceCredentials("relayUfr", "relayPassword0123456789ab");
    private static final DtlsFingerprint RELAY_FINGERPRINT = DtlsFingerprint.sha256(new byte[] {1, 2, 3});
    private static final SdpAnswerer ANSWERER =
            new SdpAnswerer(RELAY_ICE, RELAY_FINGERPRINT, Candidate.host("203.0.113.7", 10000));

    private static List<String> answer(String fixture) {
        String answer = ANSWERER.answer(SdpParser.parse(SdpFixtures.offer(fixture)), 42);
        assertThat(answer).endsWith("\r\n").doesNotContain("\r\n\r\n");
        return answer.lines().toList();
    }

    private static List<String> section(List<String> answer, int index) {
        List<Integer> starts = new java.util.ArrayList<>();
        for (int i = 0; i < answer.size(); i++) {
            if (answer.get(i).startsWith("m=")) {
                starts.add(i);
            }
        }
        starts.add(answer.size());
        return answer.subList(starts.get(index), starts.get(index + 1));
    }

    @Test
    void answersEachSectionInOrderBundledOnTheFirstMid() {
        List<String> answer = answer(SdpFixtures.AUDIO_VIDEO_SCREEN);

        assertThat(answer).startsWith("v=0").contains("a=group:BUNDLE 0 1 2", "a=ice-lite");
        assertThat(answer).filteredOn(line -> line.startsWith("m="))
                .containsExactly("m=audio 10000 UDP/TLS/RTP/SAVPF 111",
                        "m=video 10000 UDP/TLS/RTP/SAVPF 96 97 98 99 45 46 102 103",
                        "m=video 10000 UDP/TLS/RTP/SAVPF 96 97 98 99 45 46 102 103");
        assertThat(answer).filteredOn(line -> line.startsWith("a=mid:")).containsExactly("a=mid:0", "a=mid:1", "a=mid:2");
        for (int i = 0; i < 3; i++) {
            assertThat(section(answer, i)).contains("a=ice-ufrag:relayUfr", "a=ice-pwd:relayPassword0123456789ab",
                    "a=fingerprint:sha-256 " + RELAY_FINGERPRINT.value(), "a=setup:passive", "a=rtcp-mux",
                    "a=recvonly");
        }
        assertThat(section(answer, 0)).contains("a=candidate:1 1 udp 2130706431 203.0.113.7 10000 typ host");
        assertThat(answer).filteredOn(line -> line.startsWith("a=candidate")).hasSize(1);
    }

    @Test
    void keepsTheOfferedPayloadTypesExtensionsAndHonouredFeedback() {
        List<String> answer = answer(SdpFixtures.AUDIO_VIDEO_SCREEN);
        List<String> audio = section(answer, 0);
        List<String> camera = section(answer, 1);

        assertThat(audio).contains("a=rtpmap:111 opus/48000/2", "a=fmtp:111 minptime=10;useinbandfec=1",
                "a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level",
                "a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid");
        assertThat(camera).contains("a=rtpmap:96 VP8/90000", "a=rtpmap:97 rtx/90000", "a=fmtp:97 apt=96",
                "a=rtpmap:98 VP9/90000", "a=fmtp:98 profile-id=0", "a=rtpmap:45 AV1/90000",
                "a=rtpmap:102 H264/90000", "a=rtcp-fb:96 nack", "a=rtcp-fb:96 nack pli", "a=rtcp-fb:96 ccm fir",
                "a=extmap:9 urn:ietf:params:rtp-hdrext:sdes:mid",
                "a=extmap:3 urn:3gpp:video-orientation");
        // Transport-wide congestion control only when configured (below); never REMB or absolute send time.
        assertThat(answer).noneMatch(line -> line.contains("transport-cc") || line.contains("abs-send-time"));
        HeaderExtensionSelection.transportWideCc(true);
        try {
            List<String> withCc = section(answer(SdpFixtures.AUDIO_VIDEO_SCREEN), 1);
            assertThat(withCc).contains("a=rtcp-fb:96 transport-cc",
                    "a=extmap:4 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01");
        } finally {
            HeaderExtensionSelection.transportWideCc(false);
        }
        assertThat(camera).noneMatch(line -> line.contains("goog-remb") || line.contains("red/")
                || line.contains("ulpfec") || line.contains("toffset") || line.contains("rtp-stream-id"));
        assertThat(answer).noneMatch(line -> line.startsWith("a=ssrc") || line.startsWith("a=msid"));
    }

    @Test
    void sendsNothingAndRejectsDataChannels() {
        List<String> answer = answer(SdpFixtures.RECEIVE_ONLY_VIDEO);

        assertThat(answer).contains("a=group:BUNDLE 0 1");
        assertThat(section(answer, 0)).contains("a=recvonly");
        assertThat(section(answer, 1)).contains("a=inactive");
        assertThat(section(answer, 2)).containsExactly("m=application 0 UDP/DTLS/SCTP webrtc-datachannel", "a=mid:2");
        assertThat(OfferedTracks.of(SdpParser.parse(SdpFixtures.offer(SdpFixtures.RECEIVE_ONLY_VIDEO)))).hasSize(1);
    }
}
