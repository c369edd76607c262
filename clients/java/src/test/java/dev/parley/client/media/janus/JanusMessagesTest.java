package dev.parley.client.media.janus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.client.media.dtls.DtlsRole;
import dev.parley.client.media.ice.IceCredentials;
import dev.parley.client.media.sdp.AnswerWriter;
import dev.parley.client.media.sdp.Direction;
import dev.parley.client.media.sdp.HostCandidate;
import dev.parley.client.media.sdp.RemoteDescription;
import dev.parley.client.media.sdp.RemoteSection;
import dev.parley.media.dtls.DtlsFingerprint;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Janus adapter's requests and its reading of Janus's replies, against replies recorded from
 * Debian's janus 1.1.2 (VideoRoom, HTTP transport) in {@code src/test/resources/janus/}: no Janus
 * needed.
 */
class JanusMessagesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final IceCredentials OURS = new IceCredentials("ours", "ourPasswordIsLongEnough1");
    private static final DtlsFingerprint OUR_FINGERPRINT = new DtlsFingerprint("sha-256",
            "00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF");

    @Test
    void createAndAttachRepliesCarryTheNewIds() {
        assertThat(JanusReply.parse(recorded("create-success.json")).id()).contains(7129604843511233L);
        JanusReply attached = JanusReply.parse(recorded("attach-success.json"));
        assertThat(attached.type()).isEqualTo("success");
        assertThat(attached.id()).isPresent();
        assertThat(attached.error()).isEmpty();
    }

    @Test
    void anAsynchronousRequestIsAcknowledgedThenAnsweredByAnEventWithItsTransaction() {
        JanusReply ack = JanusReply.parse(recorded("join-ack.json"));
        JanusReply joined = JanusReply.parse(recorded("publisher-joined-event.json"));
        assertThat(ack.type()).isEqualTo("ack");
        assertThat(joined.type()).isEqualTo("event");
        assertThat(joined.transaction()).isEqualTo(ack.transaction());
        assertThat(joined.videoroom()).isEqualTo("joined");
        assertThat(joined.pluginData().path("id").asLong()).isEqualTo(7);
    }

    @Test
    void thePublishersAnswerMakesUsTheDtlsServerAndTheControllingAgentOnJanussHostCandidate() throws Exception {
        JanusReply configured = JanusReply.parse(recorded("publisher-configured-event.json")).orThrow();
        assertThat(configured.pluginData().path("configured").asText()).isEqualTo("ok");
        JanusReply.Jsep jsep = configured.jsep().orElseThrow();
        assertThat(jsep.type()).isEqualTo("answer");
        RemoteDescription answer = RemoteDescription.parse(jsep.sdp());
        assertThat(answer.iceLite()).isFalse();
        assertThat(answer.setup()).isEqualTo("active");
        assertThat(DtlsRole.facing(answer.setup())).contains(DtlsRole.SERVER);
        assertThat(answer.candidate()).isEqualTo(new HostCandidate("10.213.0.2", 35588));
        assertThat(answer.ice().ufrag()).isEqualTo("Y42d");
        assertThat(answer.sections()).extracting(RemoteSection::mid).containsExactly("0", "1");
        assertThat(answer.sections()).extracting(RemoteSection::direction).containsOnly(Direction.RECVONLY);
        assertThat(answer.sections().get(1).payloadTypes("vp8")).containsExactly(96);
    }

    @Test
    void theSubscribersOfferIsAnsweredReceiveOnlyWithOpusAndVp8AsTheDtlsClient() {
        JanusReply attached = JanusReply.parse(recorded("subscriber-attached-event.json"));
        assertThat(attached.videoroom()).isEqualTo("attached");
        assertThat(attached.pluginData().path("streams")).hasSize(4);
        RemoteDescription offer = RemoteDescription.parse(attached.jsep().orElseThrow().sdp());
        assertThat(offer.setup()).isEqualTo("actpass");
        assertThat(offer.sections()).extracting(RemoteSection::kind).containsExactly("audio", "video", "audio", "video");
        assertThat(offer.sections().get(1).payloadTypes("rtx")).containsExactly(97);

        String sdp = new AnswerWriter(OURS, OUR_FINGERPRINT, 1).answer(offer, DtlsRole.CLIENT,
                new HostCandidate("10.213.0.1", 40000));

        assertThat(sdp).contains("a=group:BUNDLE 0 1 2 3\r\n", "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\n",
                "m=video 9 UDP/TLS/RTP/SAVPF 96\r\n", "a=rtpmap:96 VP8/90000\r\n", "a=setup:active\r\n",
                "a=candidate:1 1 udp 2130706431 10.213.0.1 40000 typ host\r\n", "a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid\r\n");
        assertThat(sdp).doesNotContain("rtx", "abs-send-time", "sendonly", "transport-wide");
        RemoteDescription ours = RemoteDescription.parse(sdp);
        assertThat(ours.ice()).isEqualTo(OURS);
        assertThat(ours.fingerprint()).isEqualTo(OUR_FINGERPRINT);
        assertThat(ours.sections()).extracting(RemoteSection::direction).containsOnly(Direction.RECVONLY);
        assertThat(ours.sections()).extracting(RemoteSection::mid).containsExactly("0", "1", "2", "3");
    }

    @Test
    void aSectionWithoutACodecWeTakeIsRejectedAndLeftOutOfTheBundle() {
        String offer = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0 1\r\n"
                + "a=fingerprint:sha-256 " + OUR_FINGERPRINT.value() + "\r\n"
                + "m=audio 9 UDP/TLS/RTP/SAVPF 0\r\na=mid:0\r\na=ice-ufrag:abcd\r\na=ice-pwd:abcdefghijklmnopqrstuv\r\n"
                + "a=sendonly\r\na=rtpmap:0 PCMU/8000\r\na=candidate:1 1 udp 1 10.213.0.2 5000 typ host\r\n"
                + "m=video 9 UDP/TLS/RTP/SAVPF 98\r\na=mid:1\r\na=sendonly\r\na=rtpmap:98 VP8/90000\r\n";
        String sdp = new AnswerWriter(OURS, OUR_FINGERPRINT, 1).answer(RemoteDescription.parse(offer), DtlsRole.CLIENT,
                new HostCandidate("10.213.0.1", 40000));
        assertThat(sdp).contains("a=group:BUNDLE 1\r\n", "m=audio 0 UDP/TLS/RTP/SAVPF 0\r\n", "m=video 9 UDP/TLS/RTP/SAVPF 98\r\n");
    }

    @Test
    void pluginAndCoreErrorsAreTypedWithJanussCodes() {
        JanusReply noFeed = JanusReply.parse(recorded("subscriber-no-such-feed-event.json"));
        assertThatThrownBy(noFeed::orThrow).isInstanceOfSatisfying(JanusException.class,
                e -> assertThat(e.code()).isEqualTo(JanusException.NO_SUCH_FEED));
        JanusReply badSdp = JanusReply.parse(recorded("start-error.json"));
        assertThatThrownBy(badSdp::orThrow).isInstanceOfSatisfying(JanusException.class,
                e -> assertThat(e.code()).isEqualTo(465));
    }

    @Test
    void aLongPollReturnsSeveralEventsAsAnArray() {
        String array = "[" + recorded("publisher-joined-event.json") + ",{\"janus\":\"webrtcup\",\"session_id\":1,\"sender\":2},"
                + "{\"janus\":\"keepalive\"}]";
        List<JanusReply> replies = JanusReply.parseAll(array);
        assertThat(replies).extracting(JanusReply::type).containsExactly("event", "webrtcup", "keepalive");
        assertThat(replies.get(1).transaction()).isEmpty();
    }

    @Test
    void somethingThatIsNotAJanusReplyIsRefused() {
        assertThatThrownBy(() -> JanusReply.parse("<html>")).isInstanceOf(UncheckedIOException.class);
        assertThatThrownBy(() -> JanusReply.parse("{\"transaction\":\"1\"}")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void requestsAreTheJsonJanusDocuments() throws IOException {
        assertThat(json(JanusRequests.core("create", "t1"))).isEqualTo(JSON.readTree("{\"janus\":\"create\",\"transaction\":\"t1\"}"));
        assertThat(json(JanusRequests.attach(JanusRequests.VIDEOROOM, "t2")))
                .isEqualTo(JSON.readTree("{\"janus\":\"attach\",\"transaction\":\"t2\",\"plugin\":\"janus.plugin.videoroom\"}"));
        JsonNode publish = json(JanusRequests.message(JanusRequests.publish(), Optional.of(new JanusReply.Jsep("offer", "v=0")), "t3"));
        assertThat(publish.path("janus").asText()).isEqualTo("message");
        assertThat(publish.path("body").path("request").asText()).isEqualTo("publish");
        assertThat(publish.path("jsep")).isEqualTo(JSON.readTree("{\"type\":\"offer\",\"sdp\":\"v=0\"}"));
        assertThat(json(JanusRequests.message(JanusRequests.start(), Optional.empty(), "t4")).has("jsep")).isFalse();

        JsonNode join = json(JanusRequests.joinAsSubscriber(1001, List.of(1L, 2L)));
        assertThat(join).isEqualTo(JSON.readTree(
                "{\"request\":\"join\",\"ptype\":\"subscriber\",\"room\":1001,\"streams\":[{\"feed\":1},{\"feed\":2}]}"));
        assertThat(json(JanusRequests.joinAsPublisher(1001, 7))).isEqualTo(JSON.readTree(
                "{\"request\":\"join\",\"ptype\":\"publisher\",\"room\":1001,\"id\":7}"));
        JsonNode room = json(JanusRequests.createRoom(1001, 2));
        assertThat(room.path("request").asText()).isEqualTo("create");
        assertThat(room.path("publishers").asInt()).isEqualTo(2);
        assertThat(room.path("videocodec").asText()).isEqualTo("vp8");
        assertThat(room.path("bitrate").asInt()).isZero();
        assertThat(JanusReply.parse(recorded("room-created.json")).videoroom()).isEqualTo("created");
    }

    private static JsonNode json(Object node) throws IOException {
        return JSON.readTree(node.toString());
    }

    private static String recorded(String name) {
        try (InputStream in = JanusMessagesTest.class.getResourceAsStream("/janus/" + name)) {
            if (in == null) {
                throw new IllegalStateException("no recorded reply " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
