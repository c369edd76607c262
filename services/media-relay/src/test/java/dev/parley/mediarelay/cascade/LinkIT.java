package dev.parley.mediarelay.cascade;

import com.sun.net.httpserver.HttpServer;
import dev.parley.client.media.MediaClient;
import dev.parley.client.media.MediaPlan;
import dev.parley.client.media.VideoSettings;
import dev.parley.client.media.negotiation.Answer;
import dev.parley.client.media.negotiation.ParticipantSessionNegotiator;
import dev.parley.client.media.negotiation.ServiceAccountToken;
import dev.parley.client.media.negotiation.Subscription;
import dev.parley.client.media.rtp.PayloadStamp;
import dev.parley.client.media.rtp.ReceivedStream;
import dev.parley.client.media.rtp.RtpReader;
import dev.parley.client.media.rtp.Vp8Payload;
import dev.parley.events.call.ParticipantId;
import dev.parley.events.room.RoomId;
import dev.parley.media.srtp.SrtpKeys;
import dev.parley.media.srtp.SrtpPacket;
import dev.parley.media.srtp.SrtpProfile;
import dev.parley.media.srtp.SrtpTransformer;
import dev.parley.mediarelay.placement.RelayHeartbeat;
import dev.parley.mediarelay.transport.DropReason;
import dev.parley.mediarelay.transport.DroppedPackets;
import dev.parley.mediarelay.transport.MediaSocket;
import dev.parley.testing.DemoUser;
import dev.parley.testing.Keycloak;
import dev.parley.testing.LocalStack;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;

/**
 * The link API against the real relay, with the test playing the other relay of a cascaded room:
 * its control API (a small HTTP server that records what the relay tells it) and its media port
 * (a UDP socket with the link's SRTP contexts). Alice, a Java client on the relay, receives Bob's
 * tracks, which the "other relay" described and sends over the link; the other relay receives
 * Alice's media over the link, payloads as she sent them. Bad link requests are refused with
 * typed problems and change nothing.
 */
@QuarkusTest
class LinkIT {

    private static final long BOB_AUDIO = 0x0B0B_0001L;
    private static final long BOB_VIDEO = 0x0B0B_0002L;
    private static final long BOB_RTX = 0x0B0B_0003L;
    private static final int BOB_SENDER_ID = 7;

    @TestHTTPResource("/")
    URI relay;
    @Inject
    RelayHeartbeat heartbeat;
    @Inject
    MediaSocket mediaSocket;
    @Inject
    Links links;
    @Inject
    dev.parley.mediarelay.session.SessionRegistry sessions;
    @Inject
    DroppedPackets dropped;
    @Inject
    io.micrometer.core.instrument.MeterRegistry metrics;

    private final SecureRandom random = new SecureRandom();
    private final HttpClient http = HttpClient.newHttpClient();
    private final ScheduledExecutorService timer = Executors.newScheduledThreadPool(2);
    private final BlockingQueue<String> told = new LinkedBlockingQueue<>();
    private final java.util.Set<Long> keyframeRequests = new java.util.HashSet<>();
    /** When set, how the other relay answers a link request of the relay's: the answer's JSON. */
    private volatile java.util.function.Supplier<String> opening;
    private final String room = RoomId.random(random).value();
    private final String peerId = "test-peer-" + Long.toString(random.nextLong() & Long.MAX_VALUE, 36);
    private final LinkKey peerKey = LinkKey.random(random);
    private String token;
    private DatagramSocket peerMedia;
    private HttpServer peerControl;
    private MediaClient alice;

    @BeforeEach
    void setUp() throws Exception {
        token = Keycloak.serviceToken();
        peerMedia = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        peerControl = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        peerControl.createContext("/", exchange -> {
            told.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath() + " "
                    + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            java.util.function.Supplier<String> answering = opening;
            if (answering != null && exchange.getRequestMethod().equals("POST")) {
                byte[] answer = answering.get().getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, answer.length);
                exchange.getResponseBody().write(answer);
            } else {
                exchange.sendResponseHeaders(204, -1);
            }
            exchange.close();
        });
        peerControl.start();
    }

    @AfterEach
    void tearDown() throws Exception {
        if (alice != null) {
            alice.close();
        }
        timer.shutdownNow();
        peerControl.stop(0);
        peerMedia.close();
    }

    @Test
    void aLinkedRelaysParticipantsAndTheLocalOnesReceiveEachOther() throws Exception {
        String aliceId = ParticipantId.random(random).value();
        ServiceAccountToken serviceToken = new ServiceAccountToken(http, LocalStack.issuer(), Keycloak.SERVICES_CLIENT,
                "parley-services-secret");
        alice = new MediaClient(1, new ParticipantSessionNegotiator(http, relay, room, aliceId, serviceToken), timer, random);
        MediaPlan plan = MediaPlan.publisher(new VideoSettings(300_000, 30, 1), 1);
        assertThat(alice.negotiate(plan).subscriptions()).isEmpty();
        long handlerErrors = dropped.total(DropReason.HANDLER_ERROR);

        LinkAnswer answer = given().auth().oauth2(token).contentType(ContentType.JSON).body(offer(bobTracks()))
                .when().post("/api/v1/rooms/" + room + "/links")
                .then().statusCode(200).extract().as(LinkAnswer.class);
        assertThat(answer.relayId()).isEqualTo(heartbeat.id().value());
        assertThat(answer.media().port()).isEqualTo(mediaSocket.localAddress().getPort());
        assertThat(answer.tracks()).extracting(LinkTrack::participantId, LinkTrack::kind, LinkTrack::ssrc)
                .containsExactlyInAnyOrder(tuple(aliceId, "audio", alice.publishedSsrcs().get(0)),
                        tuple(aliceId, "video", alice.publishedSsrcs().get(1)));
        assertThat(links.inRoom(new dev.parley.mediarelay.session.RoomId(room))).hasSize(1);
        SrtpTransformer link = SrtpTransformer.forDtlsClient(SrtpKeys.fromKeyingMaterial(SrtpProfile.AEAD_AES_128_GCM,
                ByteBuffer.allocate(56).put(peerKey.keyBytes()).put(answer.key().keyBytes())
                        .put(peerKey.saltBytes()).put(answer.key().saltBytes()).array()));

        Answer withBob = alice.negotiate(plan);
        assertThat(withBob.subscriptions()).extracting(Subscription::participantId, Subscription::kind)
                .containsExactlyInAnyOrder(tuple(bob(), "audio"), tuple(bob(), "video"));

        // Alice's media reaches the other relay over the link, payloads as she stamped them.
        alice.startSending();
        Map<Long, Integer> fromAlice = new HashMap<>();
        InetSocketAddress relayMedia = new InetSocketAddress(InetAddress.getLoopbackAddress(),
                mediaSocket.localAddress().getPort());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while ((fromAlice.getOrDefault(alice.publishedSsrcs().get(0), 0) < 20
                || fromAlice.getOrDefault(alice.publishedSsrcs().get(1), 0) < 20) && System.nanoTime() < deadline) {
            byte[] rtp = receive(link).orElse(null);
            if (rtp == null) {
                continue;
            }
            long ssrc = RtpReader.ssrc(rtp, 0);
            int start = RtpReader.payloadStart(rtp, 0, rtp.length);
            int opaque = RtpReader.payloadType(rtp, 0) == 96 ? Vp8Payload.opaqueStart(rtp, start, rtp.length) : start;
            assertThat(PayloadStamp.read(rtp, opaque, rtp.length)).as("alice's stamp in the opaque payload")
                    .hasValueSatisfying(stamp -> assertThat(stamp.senderId()).isEqualTo(1));
            fromAlice.merge(ssrc, 1, Integer::sum);
        }
        assertThat(fromAlice).containsOnlyKeys(alice.publishedSsrcs().get(0), alice.publishedSsrcs().get(1));
        assertThat(fromAlice.values()).allMatch(count -> count >= 20);
        assertThat(keyframeRequests).as("alice's new video slot asked bob's relay for a keyframe, over the link")
                .contains(BOB_VIDEO);

        // Bob's media, sent over the link, reaches alice in her slots.
        for (int i = 0; i < 60; i++) {
            send(link, relayMedia, BOB_AUDIO, 111, i, false);
            send(link, relayMedia, BOB_VIDEO, 96, i, true);
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            for (long ssrc : List.of(BOB_AUDIO, BOB_VIDEO)) {
                ReceivedStream stream = alice.received().stream(ssrc);
                assertThat(stream).as("bob's stream %d at alice", ssrc).isNotNull();
                assertThat(stream.received()).isEqualTo(60);
                assertThat(stream.senderId()).isEqualTo(BOB_SENDER_ID);
            }
        });
        assertThat(alice.received().unprotectFailures()).isZero();
        assertThat(dropped.total(DropReason.HANDLER_ERROR)).as("packets whose handling failed").isEqualTo(handlerErrors);

        // Bob's video ends: the other relay tells its tracks again, and alice's video slot goes inactive.
        given().auth().oauth2(token).contentType(ContentType.JSON)
                .body(Map.of("tracks", List.of(bobTracks().get(0))))
                .when().put("/api/v1/rooms/" + room + "/links/" + peerId + "/tracks").then().statusCode(204);
        assertThat(alice.negotiate(plan).subscriptions()).extracting(Subscription::kind).containsExactly("audio");

        // Alice leaves: the relay has nobody of the room left and closes the link with the other relay.
        alice.stopSending();
        alice.close();
        alice = null;
        String closing = told.poll(10, TimeUnit.SECONDS);
        while (closing != null && closing.startsWith("PUT ") && closing.contains("/receiving ")) {
            closing = told.poll(10, TimeUnit.SECONDS); // what alice received, told before she left
        }
        assertThat(closing).isEqualTo("DELETE /api/v1/rooms/" + room + "/links/" + heartbeat.id().value() + " ");
        assertThat(links.inRoom(new dev.parley.mediarelay.session.RoomId(room))).isEmpty();
    }

    /**
     * Both relays open the link at once (each just got a participant of the room): while the relay
     * waits for the answer to its own request, the other relay's request reaches it. Both succeed
     * (neither waits for the other until its request times out) and agree on the keys.
     */
    @Test
    void twoRelaysOpeningTheLinkAtOnceBothSucceed() throws Exception {
        ServiceAccountToken serviceToken = new ServiceAccountToken(http, LocalStack.issuer(), Keycloak.SERVICES_CLIENT,
                "parley-services-secret");
        MediaClient carol = new MediaClient(3, new ParticipantSessionNegotiator(http, relay, room,
                ParticipantId.random(random).value(), serviceToken), timer, random);
        try {
            MediaPlan plan = MediaPlan.publisher(new VideoSettings(300_000, 30, 1), 2); // slots for carol and bob
            carol.negotiate(plan); // the room is on this relay
            // A link opened and closed first: the relay's first SRTP contexts (a one-off cost of
            // seconds on a busy machine, benchmarking AES) are not made while a request waits.
            given().auth().oauth2(token).contentType(ContentType.JSON).body(offer(List.of()))
                    .when().post("/api/v1/rooms/" + room + "/links").then().statusCode(200);
            given().auth().oauth2(token).when().delete("/api/v1/rooms/" + room + "/links/" + peerId).then().statusCode(204);
            double failures = linkFailures();
            java.util.concurrent.atomic.AtomicReference<LinkAnswer> theirs = new java.util.concurrent.atomic.AtomicReference<>();
            opening = () -> {
                // The other relay's own request, sent before it answers this relay's.
                theirs.set(given().auth().oauth2(token).contentType(ContentType.JSON).body(offer(bobTracks()))
                        .when().post("/api/v1/rooms/" + room + "/links").then().statusCode(200).extract().as(LinkAnswer.class));
                Map<String, Object> answer = new HashMap<>(offer(bobTracks()));
                answer.remove("controlUrl");
                try {
                    return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(answer);
                } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                    throw new IllegalStateException(e);
                }
            };
            alice = new MediaClient(1, new ParticipantSessionNegotiator(http, relay, room,
                    ParticipantId.random(random).value(), serviceToken,
                    List.of(new dev.parley.client.media.negotiation.RelayPeer(peerId,
                            "http://127.0.0.1:" + peerControl.getAddress().getPort()))), timer, random);
            Answer answer = alice.negotiate(plan);
            assertThat(theirs.get()).as("the other relay's request was answered").isNotNull();
            assertThat(linkFailures()).as("link requests that failed").isEqualTo(failures);
            assertThat(links.inRoom(new dev.parley.mediarelay.session.RoomId(room))).hasSize(1);
            assertThat(answer.subscriptions()).extracting(Subscription::participantId).contains(bob());
        } finally {
            carol.close();
        }
    }

    @Test
    void whenSignalingMovesTheRoomsMediaOffTheOtherRelayItsLinkCloses() throws Exception {
        ServiceAccountToken serviceToken = new ServiceAccountToken(http, LocalStack.issuer(), Keycloak.SERVICES_CLIENT,
                "parley-services-secret");
        ParticipantId carolId = ParticipantId.random(random);
        MediaClient carol = new MediaClient(3, new ParticipantSessionNegotiator(http, relay, room, carolId.value(),
                serviceToken), timer, random);
        try {
            carol.negotiate(MediaPlan.publisher(new VideoSettings(300_000, 30, 1), 1)); // the room is on this relay
            given().auth().oauth2(token).contentType(ContentType.JSON).body(offer(bobTracks()))
                    .when().post("/api/v1/rooms/" + room + "/links").then().statusCode(200);
            var roomHere = new dev.parley.mediarelay.session.RoomId(room);
            assertThat(links.inRoom(roomHere)).hasSize(1);

            // The other relay died: signaling moved the media of its participants (bob) elsewhere.
            try (var kafka = new org.apache.kafka.clients.producer.KafkaProducer<String, Object>(Map.of(
                    "bootstrap.servers", LocalStack.kafkaBootstrap(), "acks", "all"),
                    new org.apache.kafka.common.serialization.StringSerializer(),
                    new dev.parley.events.kafka.JsonEventSerializer<>())) {
                kafka.send(new org.apache.kafka.clients.producer.ProducerRecord<>("parley.calls", room,
                        new dev.parley.events.call.CallEvents.MediaRestart(new RoomId(room),
                                dev.parley.events.call.CallEvents.MediaRestartReason.RELAY_LOST, peerId, null,
                                List.of(new ParticipantId(bob())), java.time.Instant.now()))).get();
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> links.inRoom(roomHere).isEmpty());
            assertThat(sessions.byParticipant(carolId)).as("this relay's own participant stays").isPresent();
            assertThat(sessions.inRoom(roomHere)).as("bob's stand-in went with the link").hasSize(1);
        } finally {
            carol.close();
        }
    }

    private double linkFailures() {
        return metrics.find("parley.media.cascade.link.failures").counters().stream()
                .mapToDouble(io.micrometer.core.instrument.Counter::count).sum();
    }

    @Test
    void badLinkRequestsAreRefusedWithTypedProblems() throws Exception {
        String aliceId = ParticipantId.random(random).value();
        ServiceAccountToken serviceToken = new ServiceAccountToken(http, LocalStack.issuer(), Keycloak.SERVICES_CLIENT,
                "parley-services-secret");
        alice = new MediaClient(1, new ParticipantSessionNegotiator(http, relay, room, aliceId, serviceToken), timer, random);
        alice.negotiate(MediaPlan.publisher(new VideoSettings(300_000, 30, 1), 1));
        String links = "/api/v1/rooms/" + room + "/links";

        given().auth().oauth2(Keycloak.accessToken(DemoUser.ALICE)).contentType(ContentType.JSON).body(offer(bobTracks()))
                .when().post(links).then().statusCode(403).body("title", equalTo("Not the control client"));
        given().contentType(ContentType.JSON).body(offer(bobTracks())).when().post(links).then().statusCode(401);
        post(links, Map.of("relayId", peerId)).statusCode(400);
        Map<String, Object> badKey = new HashMap<>(offer(bobTracks()));
        badKey.put("key", Map.of("key", "short", "salt", "short"));
        post(links, badKey).statusCode(400);
        Map<String, Object> badHost = new HashMap<>(offer(bobTracks()));
        badHost.put("media", Map.of("host", "relay.example.org", "port", 10000));
        post(links, badHost).statusCode(400);
        List<Map<String, Object>> twice = List.of(bobTracks().get(0), bobTracks().get(0));
        post(links, offer(twice)).statusCode(400).body("type", endsWith("/invalid-link"))
                .body("detail", containsString("twice"));
        Map<String, Object> screenAudio = new HashMap<>(bobTracks().get(0));
        screenAudio.put("source", "screen");
        post(links, offer(List.of(screenAudio))).statusCode(400).body("type", endsWith("/invalid-link"));
        Map<String, Object> alicesSsrc = new HashMap<>(bobTracks().get(0));
        alicesSsrc.put("ssrc", alice.publishedSsrcs().get(0));
        post(links, offer(List.of(alicesSsrc))).statusCode(409).body("type", endsWith("/ssrc-conflict"));
        Map<String, Object> self = new HashMap<>(offer(bobTracks()));
        self.put("relayId", heartbeat.id().value());
        post(links, self).statusCode(400).body("type", endsWith("/self-link"));
        post("/api/v1/rooms/" + RoomId.random(random).value() + "/links", offer(bobTracks())).statusCode(404)
                .body("type", endsWith("/room-not-here"));
        post("/api/v1/rooms/not a room/links", offer(bobTracks())).statusCode(400);
        given().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of("tracks", List.of()))
                .when().put(links + "/no-such-relay/tracks").then().statusCode(404).body("type", endsWith("/no-such-link"));
        given().auth().oauth2(token).when().delete(links + "/no-such-relay").then().statusCode(204);

        assertThat(alice.negotiate(MediaPlan.publisher(new VideoSettings(300_000, 30, 1), 1)).subscriptions())
                .as("no refused request left a track behind").isEmpty();
    }

    private ValidatableResponse post(String path, Object body) {
        return given().auth().oauth2(token).contentType(ContentType.JSON).body(body).when().post(path).then();
    }

    private String bob() {
        return "p-" + "b".repeat(26);
    }

    private Map<String, Object> offer(List<Map<String, Object>> tracks) {
        return Map.of("relayId", peerId, "controlUrl", "http://127.0.0.1:" + peerControl.getAddress().getPort(),
                "media", Map.of("host", "127.0.0.1", "port", peerMedia.getLocalPort()),
                "key", Map.of("key", peerKey.key(), "salt", peerKey.salt()),
                "tracks", tracks);
    }

    /** Bob's microphone and camera as his relay describes them: Opus on 111, VP8 on 96 with RTX on 97. */
    private List<Map<String, Object>> bobTracks() {
        Map<String, Object> audio = new HashMap<>(Map.of("participantId", bob(), "trackId", "0", "kind", "audio",
                "source", "microphone", "ssrc", BOB_AUDIO, "mid", "0",
                "codecs", List.of(Map.of("payloadType", 111, "name", "opus", "clock", "48000/2",
                        "fmtp", "minptime=10;useinbandfec=1", "rtcpFb", List.of())),
                "extensions", List.of(Map.of("id", 1, "uri", "urn:ietf:params:rtp-hdrext:ssrc-audio-level"))));
        Map<String, Object> video = new HashMap<>(Map.of("participantId", bob(), "trackId", "1", "kind", "video",
                "source", "camera", "ssrc", BOB_VIDEO, "rtxSsrc", BOB_RTX, "mid", "1",
                "codecs", List.of(Map.of("payloadType", 96, "name", "VP8", "clock", "90000",
                                "rtcpFb", List.of("nack", "nack pli")),
                        Map.of("payloadType", 97, "name", "rtx", "clock", "90000", "fmtp", "apt=96",
                                "rtcpFb", List.of())),
                "extensions", List.of()));
        return new ArrayList<>(List.of(audio, video));
    }

    /** The next SRTP packet from the relay on the link, unprotected; RTCP (keyframe requests) is skipped. */
    private java.util.Optional<byte[]> receive(SrtpTransformer link) throws Exception {
        byte[] buffer = new byte[1500];
        DatagramPacket datagram = new DatagramPacket(buffer, buffer.length);
        peerMedia.setSoTimeout(1000);
        try {
            peerMedia.receive(datagram);
        } catch (SocketTimeoutException e) {
            return java.util.Optional.empty();
        }
        int type = buffer[1] & 0x7F;
        if (type >= 64 && type <= 95) { // RTCP (RFC 5761 §4)
            SrtpPacket rtcp = new SrtpPacket(java.util.Arrays.copyOf(buffer, datagram.getLength()), 0, datagram.getLength());
            assertThat(link.unprotectRtcp(rtcp)).as("the link's SRTCP context authenticates it").isTrue();
            byte[] clear = rtcp.toBytes();
            for (int at = 0; at + 12 <= clear.length; at += 4 * (1 + (((clear[at + 2] & 0xFF) << 8) | (clear[at + 3] & 0xFF)))) {
                if ((clear[at + 1] & 0xFF) == 206 && (clear[at] & 0x1F) == 1) { // PLI (RFC 4585 §6.3.1)
                    keyframeRequests.add(ByteBuffer.wrap(clear, at + 8, 4).getInt() & 0xFFFF_FFFFL);
                }
            }
            return java.util.Optional.empty();
        }
        SrtpPacket packet = new SrtpPacket(java.util.Arrays.copyOf(buffer, datagram.getLength()), 0, datagram.getLength());
        assertThat(link.unprotectRtp(packet)).as("the link's SRTP context authenticates it").isTrue();
        return java.util.Optional.of(packet.toBytes());
    }

    /** Sends one of bob's packets over the link, its payload stamped as the Java client stamps. */
    private void send(SrtpTransformer link, InetSocketAddress relayMedia, long ssrc, int payloadType, int sequence,
                      boolean video) throws Exception {
        byte[] rtp = new byte[12 + 11 + PayloadStamp.LENGTH + 100 + 20];
        rtp[0] = (byte) 0x80;
        rtp[1] = (byte) payloadType;
        rtp[2] = (byte) (sequence >> 8);
        rtp[3] = (byte) sequence;
        ByteBuffer.wrap(rtp, 4, 8).putInt(sequence * 960).putInt((int) ssrc);
        int opaque = video ? Vp8Payload.write(rtp, 12, true, sequence == 0) : 12;
        new PayloadStamp(BOB_SENDER_ID, sequence, System.nanoTime()).write(rtp, opaque);
        int length = opaque + PayloadStamp.LENGTH + 100;
        SrtpPacket packet = new SrtpPacket(rtp, 0, length);
        assertThat(link.protectRtp(packet)).isTrue();
        peerMedia.send(new DatagramPacket(packet.getBuffer(), packet.getOffset(), packet.getLength(), relayMedia));
    }
}
