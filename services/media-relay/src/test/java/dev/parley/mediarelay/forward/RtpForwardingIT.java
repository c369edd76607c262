package dev.parley.mediarelay.forward;

import dev.parley.client.media.dtls.DtlsSrtpClient;
import dev.parley.media.dtls.DtlsFingerprint;
import dev.parley.media.dtls.DtlsIdentity;
import dev.parley.media.srtp.SrtpPacket;
import dev.parley.media.srtp.SrtpTransformer;
import dev.parley.mediarelay.ice.StunTestClient;
import dev.parley.mediarelay.rtp.RtpHeader;
import dev.parley.mediarelay.rtp.Ssrc;
import dev.parley.mediarelay.sdp.SdpFixtures;
import dev.parley.mediarelay.session.SessionId;
import dev.parley.mediarelay.session.SessionRegistry;
import dev.parley.mediarelay.transport.DropReason;
import dev.parley.mediarelay.transport.DroppedPackets;
import dev.parley.mediarelay.transport.MediaSocket;
import dev.parley.testing.Keycloak;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
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
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Participants do ICE, DTLS and SRTP with the relay's real media port, as browsers would, and what
 * one publishes reaches the others of its room, re-protected for each, with the opaque payload
 * and the publisher's SSRC unchanged (RFC 3550 §5.1, RFC 3711).
 */
@QuarkusTest
class RtpForwardingIT {

    private static final String CLIENT_PWD = "clientPassword0123456789+/";
    private static final long A_SSRC = 0xA0A0A0A1L;
    private static final long A_RTX = 0xA0A0A0A2L;
    private static final long B_SSRC = 0xB0B0B0B1L;

    @Inject
    MediaSocket socket;
    @Inject
    SessionRegistry sessions;
    @Inject
    DroppedPackets dropped;
    @Inject
    ForwardedPackets forwarded;

    private final List<Participant> participants = new ArrayList<>();
    private InetSocketAddress relay;
    private String token;
    private String room;

    /** One connected client: its socket, its SRTP contexts and its session. */
    private record Participant(SessionId id, DatagramSocket socket, SrtpTransformer srtp) {

        void send(long ssrc, int sequence, byte[] payload) throws Exception {
            byte[] rtp = rtp(ssrc, sequence, payload);
            SrtpPacket packet = new SrtpPacket(Arrays.copyOf(rtp, rtp.length + 20), 0, rtp.length);
            assertThat(srtp.protectRtp(packet)).isTrue();
            socket.send(new DatagramPacket(packet.getBuffer(), packet.getOffset(), packet.getLength()));
        }

        /**
         * The next SRTP packet, unprotected, or empty if none arrives within {@code waitMillis};
         * the relay's own RTCP (receiver reports to publishers) is skipped.
         */
        Optional<byte[]> receive(int waitMillis) throws Exception {
            byte[] buffer = new byte[1500];
            DatagramPacket datagram = new DatagramPacket(buffer, buffer.length);
            socket.setSoTimeout(waitMillis);
            try {
                do {
                    socket.receive(datagram);
                } while ((buffer[0] & 0xFF) < 128 || (buffer[0] & 0xFF) > 191
                        || RtpHeader.isRtcp(buffer, 0, datagram.getLength()));
            } catch (SocketTimeoutException e) {
                return Optional.empty();
            }
            SrtpPacket packet = new SrtpPacket(Arrays.copyOf(buffer, datagram.getLength()), 0, datagram.getLength());
            assertThat(srtp.unprotectRtp(packet)).as("the subscriber's own SRTP context unprotects it").isTrue();
            return Optional.of(packet.toBytes());
        }
    }

    @BeforeEach
    void setUp() {
        relay = new InetSocketAddress(InetAddress.getLoopbackAddress(), socket.localAddress().getPort());
        token = Keycloak.serviceToken();
        room = "room-" + UUID.randomUUID();
    }

    @AfterEach
    void tearDown() {
        for (Participant participant : participants) {
            participant.socket().close();
            given().auth().oauth2(token).when().delete("/api/v1/sessions/" + participant.id()).then().statusCode(204);
        }
    }

    @Test
    void aPublishersRtpReachesEveryOtherSessionOfItsRoomUnchanged() throws Exception {
        Participant a = join(room, List.of(Map.of("ssrc", A_SSRC, "kind", "video", "rtxSsrc", A_RTX)));
        Participant b = join(room, List.of());
        Participant c = join(room, List.of());
        Participant elsewhere = join("other-" + room, List.of());

        long forwardedBefore = forwarded.total();
        double delaysBefore = metric("parley_media_forward_delay_seconds_count");
        int n = 20;
        Random random = new Random(6);
        List<byte[]> sent = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[] payload = new byte[100 + random.nextInt(900)];
            random.nextBytes(payload); // stands for an SFrame ciphertext: the relay must not care
            sent.add(rtp(A_SSRC, 1000 + i, payload));
            a.send(A_SSRC, 1000 + i, payload);
        }
        for (Participant subscriber : List.of(b, c)) {
            Map<Integer, byte[]> bySequence = new HashMap<>();
            for (int i = 0; i < n; i++) {
                byte[] received = subscriber.receive(2000).orElseThrow(() -> new AssertionError("a packet is missing"));
                assertThat(RtpHeader.rtpSsrc(received, 0)).isEqualTo(new Ssrc(A_SSRC));
                bySequence.put(RtpHeader.sequenceNumber(received, 0), received);
            }
            for (int i = 0; i < n; i++) {
                assertThat(bySequence.get(1000 + i)).as("packet %d, header and payload", i).isEqualTo(sent.get(i));
            }
        }
        // Counted just after each copy is sent: the last count may trail its delivery by a moment.
        await().atMost(Duration.ofSeconds(2)).untilAsserted(
                () -> assertThat(forwarded.total() - forwardedBefore).isEqualTo(2L * n));
        // Each publisher packet's time in the relay, once, as a Prometheus histogram.
        await().atMost(Duration.ofSeconds(2)).untilAsserted(() -> assertThat(
                metric("parley_media_forward_delay_seconds_count") - delaysBefore).isEqualTo(n));
        assertThat(metric("parley_media_forward_delay_seconds_bucket{le=\"+Inf\"}"))
                .isEqualTo(metric("parley_media_forward_delay_seconds_count"));
        assertThat(metric("parley_media_forward_delay_seconds_max")).isPositive().isLessThan(1.0);
        assertThat(a.receive(300)).as("the publisher gets no echo").isEmpty();
        assertThat(elsewhere.receive(300)).as("another room hears nothing").isEmpty();

        long unknown = dropped.total(DropReason.RTP_UNKNOWN_SSRC);
        a.send(0xDEADBEEFL, 1, "undeclared".getBytes());
        await().atMost(Duration.ofSeconds(2)).until(() -> dropped.total(DropReason.RTP_UNKNOWN_SSRC) == unknown + 1);
        assertThat(b.receive(300)).isEmpty();
        assertThat(c.receive(300)).isEmpty();

        a.send(A_RTX, 1, "retransmission".getBytes());
        assertThat(b.receive(2000)).hasValueSatisfying(
                rtp -> assertThat(RtpHeader.rtpSsrc(rtp, 0)).isEqualTo(new Ssrc(A_RTX)));
    }

    @Test
    void tracksDeclaredLaterAreForwardedAndTakenSsrcsAreRefused() throws Exception {
        Participant a = join(room, List.of(Map.of("ssrc", A_SSRC, "kind", "audio")));
        Participant b = join(room, List.of());

        given().auth().oauth2(token).contentType(ContentType.JSON)
                .body(Map.of("publishes", List.of(Map.of("ssrc", A_SSRC, "kind", "video"))))
                .when().post("/api/v1/sessions/" + b.id() + "/tracks").then().statusCode(409);
        given().auth().oauth2(token).contentType(ContentType.JSON)
                .body(Map.of("publishes", List.of(Map.of("ssrc", B_SSRC, "kind", "sound"))))
                .when().post("/api/v1/sessions/" + b.id() + "/tracks").then().statusCode(400);
        given().auth().oauth2(token).contentType(ContentType.JSON)
                .body(Map.of("publishes", List.of(Map.of("ssrc", B_SSRC, "kind", "video"))))
                .when().post("/api/v1/sessions/" + UUID.randomUUID() + "/tracks").then().statusCode(404);

        long unknown = dropped.total(DropReason.RTP_UNKNOWN_SSRC);
        b.send(B_SSRC, 1, "too early".getBytes());
        await().atMost(Duration.ofSeconds(2)).until(() -> dropped.total(DropReason.RTP_UNKNOWN_SSRC) == unknown + 1);

        given().auth().oauth2(token).contentType(ContentType.JSON)
                .body(Map.of("publishes", List.of(Map.of("ssrc", B_SSRC, "kind", "video"))))
                .when().post("/api/v1/sessions/" + b.id() + "/tracks").then().statusCode(204);
        byte[] payload = "screen share frame".getBytes();
        b.send(B_SSRC, 2, payload);
        assertThat(a.receive(2000)).contains(rtp(B_SSRC, 2, payload));
    }

    @Test
    void theSsrcsOfAnSdpOfferAreForwarded() throws Exception {
        Participant a = joinWithOffer(room);
        Participant b = join(room, List.of());
        byte[] payload = {1, 2, 3, 4};

        a.send(2001, 1, payload);
        a.send(2002, 1, payload);
        a.send(3001, 1, payload);

        assertThat(b.receive(2000)).contains(rtp(2001, 1, payload));
        assertThat(b.receive(2000)).contains(rtp(2002, 1, payload));
        assertThat(b.receive(2000)).contains(rtp(3001, 1, payload));
    }

    /** Joins with the Chromium fixture offer, its fingerprint replaced by this client's. */
    private Participant joinWithOffer(String roomId) throws Exception {
        DtlsIdentity certificate = DtlsIdentity.generate("parley-test-client", Duration.ofDays(1), new SecureRandom());
        String offer = SdpFixtures.offer(SdpFixtures.AUDIO_VIDEO_SCREEN).replaceAll("a=fingerprint:sha-256 \\S+",
                "a=fingerprint:sha-256 " + certificate.fingerprint().value());
        JsonPath reply = given().auth().oauth2(token).contentType(ContentType.JSON)
                .body(Map.of("roomId", roomId, "offer", offer))
                .when().post("/api/v1/sessions")
                .then().statusCode(201).extract().jsonPath();
        Map<String, String> answer = new HashMap<>();
        reply.getString("answer").lines().filter(line -> line.startsWith("a=") && line.contains(":"))
                .forEach(line -> answer.putIfAbsent(line.substring(2, line.indexOf(':')),
                        line.substring(line.indexOf(':') + 1)));
        return connect(new SessionId(UUID.fromString(reply.getString("sessionId"))), certificate,
                answer.get("ice-ufrag"), "Xk3f", answer.get("ice-pwd"), answer.get("fingerprint").split(" ")[1]);
    }

    private Participant join(String roomId, List<Map<String, Object>> publishes) throws Exception {
        DtlsIdentity certificate = DtlsIdentity.generate("parley-test-client", Duration.ofDays(1), new SecureRandom());
        String clientUfrag = "c" + UUID.randomUUID().toString().substring(0, 7);
        JsonPath answer = given().auth().oauth2(token).contentType(ContentType.JSON)
                .body(Map.of("iceUfrag", clientUfrag, "icePwd", CLIENT_PWD,
                        "fingerprint", Map.of("algorithm", "sha-256", "value", certificate.fingerprint().value()),
                        "roomId", roomId, "publishes", publishes))
                .when().post("/api/v1/sessions")
                .then().statusCode(201).extract().jsonPath();
        return connect(new SessionId(UUID.fromString(answer.getString("sessionId"))), certificate,
                answer.getString("iceUfrag"), clientUfrag, answer.getString("icePwd"),
                answer.getString("fingerprint.value"));
    }

    /** Completes ICE and DTLS with the relay for an opened session. */
    private Participant connect(SessionId id, DtlsIdentity certificate, String relayUfrag, String clientUfrag,
                                String relayPwd, String relayFingerprint) throws Exception {
        DatagramSocket client = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        new StunTestClient(client, relay).check(relayUfrag, clientUfrag, relayPwd, true).orElseThrow();
        client.connect(relay);
        DtlsSrtpClient dtls = new DtlsSrtpClient(certificate, new DtlsFingerprint("sha-256", relayFingerprint));
        dtls.handshake(new UDPTransport(client, 1500));
        SrtpTransformer srtp = SrtpTransformer.forDtlsClient(dtls.keys());
        await().atMost(Duration.ofSeconds(5)).until(() -> sessions.byId(id).orElseThrow().srtp().isPresent());
        Participant participant = new Participant(id, client, srtp);
        participants.add(participant);
        return participant;
    }

    private static byte[] rtp(long ssrc, int sequence, byte[] payload) {
        byte[] packet = Arrays.copyOf(new byte[] {(byte) 0x80, 96, (byte) (sequence >> 8), (byte) sequence,
                0, 0, 0, 1, (byte) (ssrc >> 24), (byte) (ssrc >> 16), (byte) (ssrc >> 8), (byte) ssrc}, 12 + payload.length);
        System.arraycopy(payload, 0, packet, 12, payload.length);
        return packet;
    }

    /** The value of the series named exactly {@code series} (with its labels, if any) on {@code /q/metrics}. */
    private static double metric(String series) {
        return given().when().get("/q/metrics").then().statusCode(200).extract().asString().lines()
                .filter(line -> line.startsWith(series + " ") || line.startsWith(series + "{") && !series.contains("{"))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }
}
