package dev.parley.mediarelay.cascade;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.parley.client.media.dtls.DtlsSrtpClient;
import dev.parley.client.media.rtp.Vp8Payload;
import dev.parley.media.dtls.DtlsFingerprint;
import dev.parley.media.dtls.DtlsIdentity;
import dev.parley.media.srtp.SrtpKeys;
import dev.parley.media.srtp.SrtpPacket;
import dev.parley.media.srtp.SrtpProfile;
import dev.parley.media.srtp.SrtpTransformer;
import dev.parley.mediarelay.ice.StunTestClient;
import dev.parley.mediarelay.placement.RelayHeartbeat;
import dev.parley.mediarelay.rtcp.GenericNack;
import dev.parley.mediarelay.rtcp.MalformedRtcpException;
import dev.parley.mediarelay.rtcp.PictureLossIndication;
import dev.parley.mediarelay.rtcp.RtcpCompound;
import dev.parley.mediarelay.rtcp.RtcpKind;
import dev.parley.mediarelay.rtcp.RtcpMessage;
import dev.parley.mediarelay.rtcp.RtcpPacket;
import dev.parley.mediarelay.rtcp.Rtx;
import dev.parley.mediarelay.rtcp.SenderReport;
import dev.parley.mediarelay.rtp.RtpHeader;
import dev.parley.mediarelay.rtp.Ssrc;
import dev.parley.mediarelay.sdp.SdpFixtures;
import dev.parley.mediarelay.session.SessionRegistry;
import dev.parley.mediarelay.simulcast.LayerSwitch;
import dev.parley.mediarelay.transport.MediaSocket;
import dev.parley.testing.Keycloak;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.bouncycastle.tls.UDPTransport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Predicate;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What crosses a link besides the media, against the real relay, with the test playing the other
 * relay of a cascaded room (its control API and its media port with the link's SRTP contexts), and
 * two participants of this relay over real ICE, DTLS and SRTP: Dave, who receives one video (the
 * other relay's Bob's camera), and Carol, who publishes a camera nobody here receives.
 * <ul>
 *   <li>the relay tells the other which of its tracks Dave receives, and again when he stops
 *       rendering it;</li>
 *   <li>a packet of Bob's lost on the link is asked of the other relay (NACK) and its RTX reaches
 *       Dave as the late original; Bob's sender report reaches Dave;</li>
 *   <li>Carol's sender report crosses the link, and the other relay's NACK for her camera is
 *       answered over the link as RTX;</li>
 *   <li>when the other relay says nobody there receives Carol's camera, it stops crossing the link
 *       (her audio goes on); when it says someone does again, Carol is asked for a keyframe and
 *       the camera crosses from it, its sequence numbers going on without a gap.</li>
 * </ul>
 */
@QuarkusTest
class LinkFeedbackIT {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Duration PATIENCE = Duration.ofSeconds(5);
    private static final long BOB_AUDIO = 0x0B0B_0001L;
    private static final long BOB_VIDEO = 0x0B0B_0002L;
    private static final long BOB_RTX = 0x0B0B_0003L;
    private static final long CAROL_AUDIO = 1001;
    private static final long CAROL_CAMERA = 2001;
    private static final long CAROL_CAMERA_RTX = 2002;
    private static final long DAVE_AUDIO = 5001;

    @Inject
    MediaSocket socket;
    @Inject
    SessionRegistry sessions;
    @Inject
    RelayHeartbeat heartbeat;
    @Inject
    Links links;
    @Inject
    MeterRegistry metrics;

    private final List<DatagramSocket> sockets = new ArrayList<>();
    private final BlockingQueue<String> told = new LinkedBlockingQueue<>();
    private final LinkKey peerKey = LinkKey.random(RANDOM);
    private final String peerId = "test-peer-" + Long.toString(RANDOM.nextLong() & Long.MAX_VALUE, 36);
    private InetSocketAddress relay;
    private String room;
    private DatagramSocket peerMedia;
    private HttpServer peerControl;

    /** One end of SRTP towards the relay: a participant's transport, or the other relay's link. */
    private record Peer(DatagramSocket socket, SrtpTransformer srtp, InetSocketAddress to) {

        void sendRtp(byte[] rtp) throws Exception {
            SrtpPacket packet = new SrtpPacket(Arrays.copyOf(rtp, rtp.length + 20), 0, rtp.length);
            assertThat(srtp.protectRtp(packet)).isTrue();
            socket.send(new DatagramPacket(packet.getBuffer(), packet.getOffset(), packet.getLength(), to));
        }

        void sendRtcp(RtcpMessage message) throws Exception {
            byte[] compound = RtcpCompound.write(List.of(message));
            SrtpPacket packet = new SrtpPacket(Arrays.copyOf(compound, compound.length + 20), 0, compound.length);
            assertThat(srtp.protectRtcp(packet)).isTrue();
            socket.send(new DatagramPacket(packet.getBuffer(), packet.getOffset(), packet.getLength(), to));
        }

        byte[] rtp(Predicate<byte[]> wanted) throws Exception {
            return next(false, wanted).orElseThrow(() -> new AssertionError("no such RTP packet"));
        }

        RtcpPacket rtcp(RtcpKind kind) throws Exception {
            return next(true, bytes -> packets(bytes).stream().anyMatch(p -> p.kind() == kind))
                    .map(compound -> packets(compound).stream().filter(p -> p.kind() == kind).findFirst().orElseThrow())
                    .orElseThrow(() -> new AssertionError("no " + kind + " packet"));
        }

        /** The RTP packets up to and including the first that {@code last} matches. */
        List<byte[]> rtpUntil(Predicate<byte[]> last) throws Exception {
            List<byte[]> seen = new ArrayList<>();
            next(false, rtp -> {
                seen.add(rtp);
                return last.test(rtp);
            }).orElseThrow(() -> new AssertionError("the last packet did not come"));
            return seen;
        }

        private Optional<byte[]> next(boolean rtcp, Predicate<byte[]> wanted) throws Exception {
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            byte[] buffer = new byte[1500];
            while (System.nanoTime() < deadline) {
                DatagramPacket datagram = new DatagramPacket(buffer, buffer.length);
                socket.setSoTimeout((int) Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
                try {
                    socket.receive(datagram);
                } catch (SocketTimeoutException e) {
                    break;
                }
                int first = buffer[0] & 0xFF;
                if (first < 128 || first > 191 || RtpHeader.isRtcp(buffer, 0, datagram.getLength()) != rtcp) {
                    continue;
                }
                SrtpPacket packet = new SrtpPacket(Arrays.copyOf(buffer, datagram.getLength()), 0, datagram.getLength());
                assertThat(rtcp ? srtp.unprotectRtcp(packet) : srtp.unprotectRtp(packet)).isTrue();
                byte[] plain = packet.toBytes();
                if (wanted.test(plain)) {
                    return Optional.of(plain);
                }
            }
            return Optional.empty();
        }

        private static List<RtcpPacket> packets(byte[] compound) {
            try {
                return RtcpCompound.parse(compound, 0, compound.length);
            } catch (MalformedRtcpException e) {
                throw new AssertionError("the relay sent malformed RTCP: " + e.getMessage());
            }
        }
    }

    @BeforeEach
    void setUp() throws Exception {
        relay = new InetSocketAddress(InetAddress.getLoopbackAddress(), socket.localAddress().getPort());
        room = base32(4) + "-" + base32(4) + "-" + base32(4);
        peerMedia = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        sockets.add(peerMedia);
        peerControl = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        peerControl.createContext("/", exchange -> {
            told.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath() + " "
                    + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        peerControl.start();
    }

    @AfterEach
    void tearDown() {
        sockets.forEach(DatagramSocket::close);
        peerControl.stop(0);
    }

    @Test
    void overTheLinkGoOnlyWhatIsReceivedWithSenderReportsAndRepairs() throws Exception {
        String daveId = "p-" + base32(26);
        String daveOffer = SdpFixtures.offer(SdpFixtures.RECEIVE_ONLY_VIDEO)
                .replace("a=ssrc:1001 ", "a=ssrc:" + DAVE_AUDIO + " ").replace("a=ice-ufrag:Xk3f", "a=ice-ufrag:Yy9q");
        DtlsIdentity daveCertificate = DtlsIdentity.generate("parley-test-client", Duration.ofDays(1), RANDOM);
        Peer dave = join(daveOffer, "Yy9q", daveId, daveCertificate);

        LinkAnswer answer = given().auth().oauth2(Keycloak.serviceToken()).contentType(ContentType.JSON)
                .body(offer(bobTracks())).when().post("/api/v1/rooms/" + room + "/links")
                .then().statusCode(200).extract().as(LinkAnswer.class);
        Peer bobsRelay = new Peer(peerMedia, SrtpTransformer.forDtlsClient(SrtpKeys.fromKeyingMaterial(
                SrtpProfile.AEAD_AES_128_GCM, ByteBuffer.allocate(56).put(peerKey.keyBytes()).put(answer.key().keyBytes())
                        .put(peerKey.saltBytes()).put(answer.key().saltBytes()).array())), relay);
        assertThat(offerFor(daveOffer, daveId, daveCertificate)).as("dave's next answer carries bob's camera")
                .contains("a=ssrc:" + BOB_VIDEO + " ");

        // The relay tells bob's relay which of its tracks dave receives.
        assertThat(nextReceiving(received -> !received.isEmpty())).as("dave has no slot for audio")
                .containsExactly(BOB_VIDEO);

        // Bob's camera over the link, 13 lost on the way: the relay asks bob's relay for it, and its
        // retransmission reaches dave as the late original.
        double recovered = metrics.counter("parley.media.recovered.packets").count();
        byte[] payload = new byte[200];
        RANDOM.nextBytes(payload);
        for (int sequence : new int[] {10, 11, 12, 14, 15}) {
            bobsRelay.sendRtp(vp8(BOB_VIDEO, sequence, sequence == 10, payload));
        }
        dave.rtp(rtp -> RtpHeader.rtpSsrc(rtp, 0).value() == BOB_VIDEO && RtpHeader.sequenceNumber(rtp, 0) == 15);
        GenericNack nack = GenericNack.parse(bobsRelay.rtcp(RtcpKind.GENERIC_NACK));
        assertThat(nack.mediaSsrc()).isEqualTo(BOB_VIDEO);
        assertThat(nack.lostSequenceNumbers()).containsExactly(13);
        byte[] lost = vp8(BOB_VIDEO, 13, false, payload);
        bobsRelay.sendRtp(Rtx.wrap(lost, 0, lost.length, 97, BOB_RTX, 1).orElseThrow());
        byte[] late = dave.rtp(rtp -> RtpHeader.rtpSsrc(rtp, 0).value() == BOB_VIDEO && RtpHeader.sequenceNumber(rtp, 0) == 13);
        assertThat(Arrays.copyOfRange(late, late.length - payload.length, late.length)).isEqualTo(payload);
        assertThat(metrics.counter("parley.media.recovered.packets").count()).isGreaterThan(recovered);

        // Bob's sender report, over the link, reaches dave for lip sync.
        bobsRelay.sendRtcp(new SenderReport(BOB_VIDEO, 0x0A0B0C0D01020304L, 15 * 3000, 6, 1200, List.of()));
        SenderReport bobs = SenderReport.parse(dave.rtcp(RtcpKind.SENDER_REPORT));
        assertThat(bobs.senderSsrc()).isEqualTo(BOB_VIDEO);
        assertThat(bobs.ntpTimestamp()).isEqualTo(0x0A0B0C0D01020304L);
        assertThat(bobs.rtpTimestamp()).isEqualTo(15 * 3000);
        assertThat(bobs.reportBlocks()).isEmpty();

        // Carol publishes here; bob's relay has not said what it receives, so her camera crosses.
        Peer carol = join(SdpFixtures.offer(SdpFixtures.AUDIO_VIDEO_SCREEN), "Xk3f", "p-" + base32(26),
                DtlsIdentity.generate("parley-test-client", Duration.ofDays(1), RANDOM));
        for (int sequence = 100; sequence <= 105; sequence++) {
            carol.sendRtp(vp8(CAROL_CAMERA, sequence, sequence == 100, payload));
        }
        bobsRelay.rtp(rtp -> RtpHeader.rtpSsrc(rtp, 0).value() == CAROL_CAMERA && RtpHeader.sequenceNumber(rtp, 0) == 105);

        // Her sender report crosses the link in the link's timestamps (the same, as nothing was skipped).
        carol.sendRtcp(new SenderReport(CAROL_CAMERA, 0x0102030405060708L, 105 * 3000, 6, 1200, List.of()));
        SenderReport carols = SenderReport.parse(bobsRelay.rtcp(RtcpKind.SENDER_REPORT));
        assertThat(carols.senderSsrc()).isEqualTo(CAROL_CAMERA);
        assertThat(carols.ntpTimestamp()).isEqualTo(0x0102030405060708L);
        assertThat(carols.rtpTimestamp()).isEqualTo(105 * 3000);

        // Bob's relay lost 103 of her camera: resent over the link as RTX, original number first.
        bobsRelay.sendRtcp(new GenericNack(0x0B0B_00FFL, CAROL_CAMERA, List.of(103)));
        byte[] rtx = bobsRelay.rtp(rtp -> RtpHeader.rtpSsrc(rtp, 0).value() == CAROL_CAMERA_RTX);
        assertThat(RtpHeader.payloadType(rtx, 0)).isEqualTo(97);
        int osn = rtx.length - payload.length - Vp8Payload.length(true, false) - 2;
        assertThat(((rtx[osn] & 0xFF) << 8) | (rtx[osn + 1] & 0xFF)).isEqualTo(103);

        // Nobody on bob's relay receives carol's camera: it no longer crosses the link; her audio does.
        receiving(List.of());
        LayerSwitch feed = links.inRoom(new dev.parley.mediarelay.session.RoomId(room)).get(0)
                .feed(new Ssrc(CAROL_CAMERA)).orElseThrow();
        await().atMost(PATIENCE).until(() -> feed.target() == LayerSwitch.PAUSED);
        double held = metrics.counter("parley.media.cascade.link.held.packets").count();
        for (int sequence = 106; sequence <= 110; sequence++) {
            carol.sendRtp(vp8(CAROL_CAMERA, sequence, false, payload));
        }
        carol.sendRtp(opus(CAROL_AUDIO, 1, payload));
        List<byte[]> crossed = bobsRelay.rtpUntil(rtp -> RtpHeader.rtpSsrc(rtp, 0).value() == CAROL_AUDIO);
        assertThat(crossed).as("nothing of carol's camera crossed").noneMatch(rtp -> RtpHeader.rtpSsrc(rtp, 0).value() == CAROL_CAMERA);
        assertThat(metrics.counter("parley.media.cascade.link.held.packets").count() - held).isGreaterThanOrEqualTo(5);

        // Someone there receives it again: carol is asked for a keyframe, and it crosses from there,
        // numbered on from the last it sent over the link.
        receiving(List.of(Map.of("ssrc", CAROL_CAMERA)));
        assertThat(PictureLossIndication.parse(carol.rtcp(RtcpKind.PICTURE_LOSS_INDICATION)).mediaSsrc())
                .isEqualTo(CAROL_CAMERA);
        carol.sendRtp(vp8(CAROL_CAMERA, 111, false, payload));
        carol.sendRtp(vp8(CAROL_CAMERA, 112, true, payload));
        byte[] resumed = bobsRelay.rtp(rtp -> RtpHeader.rtpSsrc(rtp, 0).value() == CAROL_CAMERA);
        assertThat(RtpHeader.sequenceNumber(resumed, 0)).as("the first packet of the keyframe, as 105 + 1").isEqualTo(106);

        // Dave stops rendering bob's camera: the relay tells bob's relay he no longer receives it.
        given().auth().oauth2(Keycloak.serviceToken()).contentType(ContentType.JSON)
                .body(Map.of("tracks", Map.of("1", Map.of("width", 0, "height", 0))))
                .when().put("/api/v1/rooms/" + room + "/participants/" + daveId + "/layout").then().statusCode(204);
        assertThat(nextReceiving(List::isEmpty)).isEmpty();
    }

    /** The SSRCs of the next {@code receiving} tell that {@code wanted} matches, skipping others. */
    private List<Long> nextReceiving(Predicate<List<Long>> wanted) throws Exception {
        String path = "PUT /api/v1/rooms/" + room + "/links/" + heartbeat.id().value() + "/receiving ";
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (System.nanoTime() < deadline) {
            String request = told.poll(100, java.util.concurrent.TimeUnit.MILLISECONDS);
            if (request == null || !request.startsWith(path)) {
                continue;
            }
            List<Long> ssrcs = new ObjectMapper().readValue(request.substring(path.length()), LinkReceiving.class)
                    .tracks().stream().map(LinkReceiving.Track::ssrc).toList();
            if (wanted.test(ssrcs)) {
                return ssrcs;
            }
        }
        throw new AssertionError("no such receiving tell");
    }

    private void receiving(List<Map<String, Object>> tracks) {
        given().auth().oauth2(Keycloak.serviceToken()).contentType(ContentType.JSON).body(Map.of("tracks", tracks))
                .when().put("/api/v1/rooms/" + room + "/links/" + peerId + "/receiving").then().statusCode(204);
    }

    private Map<String, Object> offer(List<Map<String, Object>> tracks) {
        return Map.of("relayId", peerId, "controlUrl", "http://127.0.0.1:" + peerControl.getAddress().getPort(),
                "media", Map.of("host", "127.0.0.1", "port", peerMedia.getLocalPort()),
                "key", Map.of("key", peerKey.key(), "salt", peerKey.salt()),
                "tracks", tracks);
    }

    /** Bob's microphone and camera as his relay describes them: Opus on 111, VP8 on 96 with RTX on 97. */
    private static List<Map<String, Object>> bobTracks() {
        String bob = "p-" + "b".repeat(26);
        return List.of(Map.of("participantId", bob, "trackId", "0", "kind", "audio", "source", "microphone",
                        "ssrc", BOB_AUDIO, "mid", "0",
                        "codecs", List.of(Map.of("payloadType", 111, "name", "opus", "clock", "48000/2",
                                "rtcpFb", List.of())),
                        "extensions", List.of()),
                Map.of("participantId", bob, "trackId", "1", "kind", "video", "source", "camera",
                        "ssrc", BOB_VIDEO, "rtxSsrc", BOB_RTX, "mid", "1",
                        "codecs", List.of(Map.of("payloadType", 96, "name", "VP8", "clock", "90000",
                                        "rtcpFb", List.of("nack", "nack pli")),
                                Map.of("payloadType", 97, "name", "rtx", "clock", "90000", "fmtp", "apt=96",
                                        "rtcpFb", List.of())),
                        "extensions", List.of()));
    }

    /** A VP8 packet (payload type 96): the descriptor in clear, then the opaque payload. */
    private static byte[] vp8(long ssrc, int sequence, boolean keyframe, byte[] payload) {
        byte[] packet = new byte[12 + Vp8Payload.length(true, keyframe) + payload.length];
        ByteBuffer.wrap(packet).put((byte) 0x80).put((byte) 96).putShort((short) sequence).putInt(sequence * 3000)
                .putInt((int) ssrc);
        int opaque = Vp8Payload.write(packet, 12, true, keyframe);
        System.arraycopy(payload, 0, packet, opaque, payload.length);
        return packet;
    }

    private static byte[] opus(long ssrc, int sequence, byte[] payload) {
        byte[] packet = new byte[12 + payload.length];
        ByteBuffer.wrap(packet).put((byte) 0x80).put((byte) 111).putShort((short) sequence).putInt(sequence * 960)
                .putInt((int) ssrc).put(payload);
        return packet;
    }

    /** Opens a participant session with {@code offer} (its fingerprint made this client's) and connects. */
    private Peer join(String offer, String clientUfrag, String participant, DtlsIdentity certificate) throws Exception {
        String sdp = offerFor(offer, participant, certificate);
        Map<String, String> answer = new HashMap<>();
        sdp.lines().filter(line -> line.startsWith("a=") && line.contains(":"))
                .forEach(line -> answer.putIfAbsent(line.substring(2, line.indexOf(':')),
                        line.substring(line.indexOf(':') + 1)));
        DatagramSocket client = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        sockets.add(client);
        new StunTestClient(client, relay).check(answer.get("ice-ufrag"), clientUfrag, answer.get("ice-pwd"), true)
                .orElseThrow();
        client.connect(relay);
        DtlsSrtpClient dtls = new DtlsSrtpClient(certificate,
                new DtlsFingerprint("sha-256", answer.get("fingerprint").split(" ")[1]));
        dtls.handshake(new UDPTransport(client, 1500));
        SrtpTransformer srtp = SrtpTransformer.forDtlsClient(dtls.keys());
        await().atMost(PATIENCE).until(() -> sessions.all().stream()
                .anyMatch(session -> session.participant().map(p -> p.value().equals(participant)).orElse(false)
                        && session.srtp().isPresent()));
        return new Peer(client, srtp, relay);
    }

    /** Sends {@code offer} for {@code participant} (a first offer, or a renegotiation) and returns the answer. */
    private String offerFor(String offer, String participant, DtlsIdentity certificate) {
        return given().auth().oauth2(Keycloak.serviceToken()).contentType(ContentType.JSON)
                .body(Map.of("sdp", offer.replaceAll("a=fingerprint:sha-256 \\S+",
                        "a=fingerprint:sha-256 " + certificate.fingerprint().value())))
                .when().put("/api/v1/rooms/" + room + "/participants/" + participant + "/session")
                .then().statusCode(200).extract().path("sdp");
    }

    private static String base32(int letters) {
        String alphabet = "abcdefghijklmnopqrstuvwxyz234567";
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < letters; i++) {
            text.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return text.toString();
    }
}
