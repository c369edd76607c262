package dev.parley.mediarelay.transport;

import dev.parley.client.media.dtls.DtlsSrtpClient;
import dev.parley.media.dtls.DtlsFingerprint;
import dev.parley.media.dtls.DtlsIdentity;
import dev.parley.media.srtp.SrtpKeys;
import dev.parley.media.srtp.SrtpPacket;
import dev.parley.media.srtp.SrtpProfile;
import dev.parley.media.srtp.SrtpTransformer;
import dev.parley.mediarelay.ice.StunTestClient;
import dev.parley.mediarelay.session.Session;
import dev.parley.mediarelay.session.SessionId;
import dev.parley.mediarelay.session.SessionRegistry;
import dev.parley.testing.Keycloak;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.TlsFatalAlertReceived;
import org.bouncycastle.tls.DTLSTransport;
import org.bouncycastle.tls.UDPTransport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * A client opens a session over HTTP, then does ICE, DTLS and SRTP against the relay's real media
 * port on 127.0.0.1, as a browser would; bad input on the same port is dropped, counted, and
 * leaves the relay answering.
 */
@QuarkusTest
class MediaTransportIT {

    private static final String CLIENT_UFRAG = "clnt";
    private static final String CLIENT_PWD = "clientPassword0123456789+/";

    @Inject
    MediaSocket socket;
    @Inject
    SessionRegistry sessions;
    @Inject
    DroppedPackets dropped;
    @Inject
    DtlsIdentity relayCertificate;

    private final DtlsIdentity clientCertificate =
            DtlsIdentity.generate("parley-test-client", Duration.ofDays(1), new SecureRandom());
    private InetSocketAddress relay;
    private String token;

    @BeforeEach
    void setUp() {
        relay = new InetSocketAddress(InetAddress.getLoopbackAddress(), socket.localAddress().getPort());
        token = Keycloak.serviceToken();
    }

    @Test
    void theAnswerNamesTheRelaysCredentialsFingerprintAndHostCandidate() {
        JsonPath answer = open(clientCertificate.fingerprint());
        assertThat(answer.getBoolean("iceLite")).isTrue();
        assertThat(answer.getString("setup")).isEqualTo("passive");
        assertThat(answer.getString("iceUfrag")).hasSize(8);
        assertThat(answer.getString("icePwd")).hasSize(24);
        assertThat(answer.getString("fingerprint.algorithm")).isEqualTo("sha-256");
        assertThat(answer.getString("fingerprint.value")).isEqualTo(relayCertificate.fingerprint().value());
        assertThat(answer.getString("candidates[0].address")).isEqualTo("127.0.0.1");
        assertThat(answer.getInt("candidates[0].port")).isEqualTo(relay.getPort());
        assertThat(answer.getString("candidates[0].protocol")).isEqualTo("udp");
    }

    @Test
    void badOffersAndStrangersAreRefused() {
        given().contentType(ContentType.JSON).body(Map.of("iceUfrag", CLIENT_UFRAG, "icePwd", CLIENT_PWD,
                        "fingerprint", Map.of("algorithm", "sha-256", "value", clientCertificate.fingerprint().value())))
                .when().post("/api/v1/sessions").then().statusCode(401);
        given().auth().oauth2(token).contentType(ContentType.JSON)
                .body(Map.of("iceUfrag", "x", "icePwd", CLIENT_PWD,
                        "fingerprint", Map.of("algorithm", "sha-256", "value", clientCertificate.fingerprint().value())))
                .when().post("/api/v1/sessions").then().statusCode(400);
        given().auth().oauth2(token).contentType(ContentType.JSON)
                .body(Map.of("iceUfrag", CLIENT_UFRAG, "icePwd", CLIENT_PWD,
                        "fingerprint", Map.of("algorithm", "md5", "value", "00:11")))
                .when().post("/api/v1/sessions").then().statusCode(400);
        given().auth().oauth2(token).contentType(ContentType.JSON).body("{\"iceUfrag\":")
                .when().post("/api/v1/sessions").then().statusCode(400);
    }

    @Test
    void iceDtlsAndSrtpComeUpAndBothSidesShareTheKeys() throws Exception {
        JsonPath answer = open(clientCertificate.fingerprint());
        SessionId id = new SessionId(UUID.fromString(answer.getString("sessionId")));
        try (DatagramSocket client = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            StunTestClient ice = new StunTestClient(client, relay);
            String relayUfrag = answer.getString("iceUfrag");

            long unauthorized = dropped.total(DropReason.STUN_UNAUTHORIZED);
            assertThat(ice.check(relayUfrag, CLIENT_UFRAG, "wrongPassword0123456789xyz", true)).isEmpty();
            assertThat(ice.check(relayUfrag, "othr", answer.getString("icePwd"), true)).isEmpty();
            assertThat(dropped.total(DropReason.STUN_UNAUTHORIZED)).isEqualTo(unauthorized + 2);
            assertThat(sessions.byId(id).orElseThrow().nominated()).isEmpty();

            StunTestClient.Success success = ice.check(relayUfrag, CLIENT_UFRAG, answer.getString("icePwd"), true)
                    .orElseThrow();
            assertThat(success.integrityValid()).isTrue();
            assertThat(success.mappedAddress()).isEqualTo(client.getLocalSocketAddress());
            Session session = sessions.byId(id).orElseThrow();
            assertThat(session.nominated()).contains((InetSocketAddress) client.getLocalSocketAddress());

            client.connect(relay);
            DtlsSrtpClient dtls = new DtlsSrtpClient(clientCertificate,
                    new DtlsFingerprint("sha-256", answer.getString("fingerprint.value")));
            dtls.handshake(new UDPTransport(client, 1500));
            SrtpKeys clientKeys = dtls.keys();
            assertThat(clientKeys.profile()).isEqualTo(SrtpProfile.AEAD_AES_128_GCM);
            await().atMost(Duration.ofSeconds(5)).until(() -> session.srtp().isPresent());

            SrtpTransformer participant = SrtpTransformer.forDtlsClient(clientKeys);
            SrtpTransformer relaySide = session.srtp().orElseThrow();
            byte[] rtp = rtp(0x1234ABCD, 1, "opaque sframe frame".getBytes());
            SrtpPacket packet = new SrtpPacket(rtp.clone(), 0, rtp.length);
            assertThat(participant.protectRtp(packet)).isTrue();
            byte[] onTheWire = packet.toBytes();
            assertThat(onTheWire).hasSize(rtp.length + 16);
            assertThat(onTheWire).isNotEqualTo(rtp);
            SrtpPacket received = new SrtpPacket(onTheWire.clone(), 0, onTheWire.length);
            assertThat(relaySide.unprotectRtp(received)).isTrue();
            assertThat(received.toBytes()).isEqualTo(rtp);

            byte[] back = rtp(0x0BADCAFE, 7, "to the participant".getBytes());
            SrtpPacket forwarded = new SrtpPacket(back.clone(), 0, back.length);
            assertThat(relaySide.protectRtp(forwarded)).isTrue();
            assertThat(participant.unprotectRtp(forwarded)).isTrue();
            assertThat(forwarded.toBytes()).isEqualTo(back);

            byte[] rtcp = receiverReport(0x1234ABCD);
            SrtpPacket report = new SrtpPacket(rtcp.clone(), 0, rtcp.length);
            assertThat(participant.protectRtcp(report)).isTrue();
            assertThat(relaySide.unprotectRtcp(report)).isTrue();
            assertThat(report.toBytes()).isEqualTo(rtcp);

            SrtpPacket tampered = new SrtpPacket(onTheWire.clone(), 0, onTheWire.length);
            tampered.getBuffer()[onTheWire.length - 1] ^= 1;
            assertThat(relaySide.unprotectRtp(tampered)).isFalse();

            long unknownSsrc = dropped.total(DropReason.RTP_UNKNOWN_SSRC);
            client.send(new DatagramPacket(onTheWire, onTheWire.length));
            await().atMost(Duration.ofSeconds(2))
                    .until(() -> dropped.total(DropReason.RTP_UNKNOWN_SSRC) == unknownSsrc + 1);
        } finally {
            close(id);
        }
    }

    @Test
    void theHmacSha1ProfileIsTakenWhenTheClientOffersOnlyIt() throws Exception {
        JsonPath answer = open(clientCertificate.fingerprint());
        SessionId id = new SessionId(UUID.fromString(answer.getString("sessionId")));
        try (DatagramSocket client = nominated(answer)) {
            DtlsSrtpClient dtls = new DtlsSrtpClient(clientCertificate, relayCertificate.fingerprint(),
                    List.of(SrtpProfile.AES128_CM_HMAC_SHA1_80));
            dtls.handshake(new UDPTransport(client, 1500));
            SrtpKeys keys = dtls.keys();
            assertThat(keys.profile()).isEqualTo(SrtpProfile.AES128_CM_HMAC_SHA1_80);
            Session session = sessions.byId(id).orElseThrow();
            await().atMost(Duration.ofSeconds(5)).until(() -> session.srtp().isPresent());

            byte[] rtp = rtp(42, 9, "payload".getBytes());
            SrtpPacket packet = new SrtpPacket(rtp.clone(), 0, rtp.length);
            assertThat(SrtpTransformer.forDtlsClient(keys).protectRtp(packet)).isTrue();
            assertThat(packet.getLength()).isEqualTo(rtp.length + 10);
            assertThat(session.srtp().orElseThrow().unprotectRtp(packet)).isTrue();
            assertThat(packet.toBytes()).isEqualTo(rtp);
        } finally {
            close(id);
        }
    }

    @Test
    void aCertificateThatIsNotTheOneInTheOfferFailsTheHandshake() throws Exception {
        JsonPath answer = open(clientCertificate.fingerprint());
        SessionId id = new SessionId(UUID.fromString(answer.getString("sessionId")));
        try (DatagramSocket client = nominated(answer)) {
            client.setSoTimeout(10_000);
            DtlsSrtpClient impostor = new DtlsSrtpClient(
                    DtlsIdentity.generate("parley-test-client", Duration.ofDays(1), new SecureRandom()),
                    relayCertificate.fingerprint());
            assertThatThrownBy(() -> impostor.handshake(new UDPTransport(client, 1500)))
                    .isInstanceOfSatisfying(TlsFatalAlertReceived.class,
                            alert -> assertThat(alert.getAlertDescription()).isEqualTo(AlertDescription.bad_certificate));
            assertThat(sessions.byId(id).orElseThrow().srtp()).isEmpty();
        } finally {
            close(id);
        }
    }

    @Test
    void badPacketsAreDroppedAndCountedAndTheRelayStillAnswers() throws Exception {
        JsonPath answer = open(clientCertificate.fingerprint());
        SessionId id = new SessionId(UUID.fromString(answer.getString("sessionId")));
        try (DatagramSocket stranger = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            Map<DropReason, Long> before = totals();

            send(stranger, new byte[] {70, 1, 2, 3});                      // TURN ChannelData range: garbage
            send(stranger, new byte[] {(byte) 255});                       // no protocol at all
            send(stranger, new byte[2000]);                                // oversized
            byte[] fakeClientHello = new byte[60];
            fakeClientHello[0] = 22;
            send(stranger, fakeClientHello);                               // DTLS before ICE
            send(stranger, rtp(1, 1, new byte[20]));                       // SRTP before ICE
            send(stranger, new byte[] {0, 1, 0, 8, 1, 2});                 // truncated STUN
            byte[] randomStun = new byte[100];
            new java.util.Random(7).nextBytes(randomStun);
            randomStun[0] = 1;
            send(stranger, randomStun);                                    // STUN-looking noise

            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                Map<DropReason, Long> after = totals();
                assertThat(after.get(DropReason.GARBAGE) - before.get(DropReason.GARBAGE)).isEqualTo(2);
                assertThat(after.get(DropReason.OVERSIZED) - before.get(DropReason.OVERSIZED)).isEqualTo(1);
                assertThat(after.get(DropReason.DTLS_UNKNOWN_PEER) - before.get(DropReason.DTLS_UNKNOWN_PEER))
                        .isEqualTo(1);
                assertThat(after.get(DropReason.RTP_UNKNOWN_PEER) - before.get(DropReason.RTP_UNKNOWN_PEER))
                        .isEqualTo(1);
                assertThat(after.get(DropReason.STUN_MALFORMED) - before.get(DropReason.STUN_MALFORMED))
                        .isEqualTo(2);
            });

            StunTestClient ice = new StunTestClient(stranger, relay);
            assertThat(ice.check(answer.getString("iceUfrag"), CLIENT_UFRAG, answer.getString("icePwd"), false))
                    .hasValueSatisfying(success -> assertThat(success.integrityValid()).isTrue());
            given().when().get("/q/metrics").then().statusCode(200)
                    .body(org.hamcrest.Matchers.containsString(
                            "parley_media_dropped_packets_total{reason=\"oversized\"}"));
        } finally {
            close(id);
        }
    }

    /**
     * A client closing its connection (a browser's {@code RTCPeerConnection.close()}) sends
     * {@code close_notify} (RFC 5246 §7.2.1): the relay closes the session at once, without waiting
     * for consent to lapse; a participant moving to another relay ends its old session this way.
     */
    @Test
    void aClientsCloseNotifyClosesItsSession() throws Exception {
        JsonPath answer = open(clientCertificate.fingerprint());
        SessionId id = new SessionId(UUID.fromString(answer.getString("sessionId")));
        try (DatagramSocket client = nominated(answer)) {
            Session session = sessions.byId(id).orElseThrow();
            DTLSTransport dtls = new DtlsSrtpClient(clientCertificate,
                    new DtlsFingerprint("sha-256", answer.getString("fingerprint.value")))
                    .handshake(new UDPTransport(client, 1500));
            await().atMost(Duration.ofSeconds(5)).until(() -> session.srtp().isPresent());
            assertThat(sessions.byId(id)).as("an established session lives").isPresent();

            dtls.close();

            await().atMost(Duration.ofSeconds(5)).until(() -> sessions.byId(id).isEmpty());
        }
    }

    @Test
    void aClosedSessionNoLongerAnswers() throws Exception {
        JsonPath answer = open(clientCertificate.fingerprint());
        close(new SessionId(UUID.fromString(answer.getString("sessionId"))));
        try (DatagramSocket client = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            assertThat(new StunTestClient(client, relay)
                    .check(answer.getString("iceUfrag"), CLIENT_UFRAG, answer.getString("icePwd"), true)).isEmpty();
        }
    }

    @Test
    void aSessionWhoseIceConsentLapsesIsClosed() throws Exception {
        JsonPath answer = open(clientCertificate.fingerprint());
        SessionId id = new SessionId(UUID.fromString(answer.getString("sessionId")));
        try (DatagramSocket client = nominated(answer)) {
            Instant checked = Instant.now();
            assertThat(sessions.closeSilentSince(checked.minusSeconds(30))).doesNotContain(id);
            assertThat(sessions.byId(id)).isPresent();

            assertThat(sessions.closeSilentSince(checked.plusSeconds(1))).contains(id);
            assertThat(sessions.byId(id)).isEmpty();
            long unauthorized = dropped.total(DropReason.STUN_UNAUTHORIZED);
            assertThat(new StunTestClient(client, relay)
                    .check(answer.getString("iceUfrag"), CLIENT_UFRAG, answer.getString("icePwd"), true)).isEmpty();
            assertThat(dropped.total(DropReason.STUN_UNAUTHORIZED)).isEqualTo(unauthorized + 1);
        }
    }

    private JsonPath open(DtlsFingerprint fingerprint) {
        return given().auth().oauth2(token).contentType(ContentType.JSON)
                .body(Map.of("iceUfrag", CLIENT_UFRAG, "icePwd", CLIENT_PWD,
                        "fingerprint", Map.of("algorithm", fingerprint.algorithm(), "value", fingerprint.value())))
                .when().post("/api/v1/sessions")
                .then().statusCode(201).body("iceUfrag", org.hamcrest.Matchers.notNullValue())
                .extract().jsonPath();
    }

    private void close(SessionId id) {
        given().auth().oauth2(token).when().delete("/api/v1/sessions/" + id).then().statusCode(204);
        assertThat(sessions.byId(id)).isEmpty();
    }

    /** A client socket whose address ICE has nominated, connected to the relay. */
    private DatagramSocket nominated(JsonPath answer) throws Exception {
        DatagramSocket client = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        new StunTestClient(client, relay)
                .check(answer.getString("iceUfrag"), CLIENT_UFRAG, answer.getString("icePwd"), true).orElseThrow();
        client.connect(relay);
        return client;
    }

    private Map<DropReason, Long> totals() {
        Map<DropReason, Long> totals = new java.util.EnumMap<>(DropReason.class);
        for (DropReason reason : DropReason.values()) {
            totals.put(reason, dropped.total(reason));
        }
        return totals;
    }

    private void send(DatagramSocket from, byte[] data) throws IOException {
        from.send(new DatagramPacket(data, data.length, relay));
    }

    private static byte[] rtp(int ssrc, int sequence, byte[] payload) {
        byte[] packet = Arrays.copyOf(new byte[] {(byte) 0x80, 96, (byte) (sequence >> 8), (byte) sequence,
                0, 0, 0, 1, (byte) (ssrc >> 24), (byte) (ssrc >> 16), (byte) (ssrc >> 8), (byte) ssrc}, 12 + payload.length);
        System.arraycopy(payload, 0, packet, 12, payload.length);
        return packet;
    }

    /** An empty RTCP receiver report (RFC 3550 §6.4.2). */
    private static byte[] receiverReport(int ssrc) {
        return new byte[] {(byte) 0x80, (byte) 201, 0, 1,
                (byte) (ssrc >> 24), (byte) (ssrc >> 16), (byte) (ssrc >> 8), (byte) ssrc};
    }
}
