package dev.parley.mediarelay.forward;

import dev.parley.client.media.dtls.DtlsSrtpClient;
import dev.parley.events.Topic;
import dev.parley.events.call.CallEventDeserializer;
import dev.parley.events.call.CallEvents.DominantSpeakerChanged;
import dev.parley.media.dtls.DtlsFingerprint;
import dev.parley.media.dtls.DtlsIdentity;
import dev.parley.media.srtp.SrtpPacket;
import dev.parley.media.srtp.SrtpTransformer;
import dev.parley.mediarelay.ice.StunTestClient;
import dev.parley.mediarelay.rtcp.GenericNack;
import dev.parley.mediarelay.rtcp.MalformedRtcpException;
import dev.parley.mediarelay.rtcp.PictureLossIndication;
import dev.parley.mediarelay.rtcp.ReceiverReport;
import dev.parley.mediarelay.rtcp.RtcpCompound;
import dev.parley.mediarelay.rtcp.RtcpKind;
import dev.parley.mediarelay.rtcp.RtcpMessage;
import dev.parley.mediarelay.rtcp.RtcpPacket;
import dev.parley.mediarelay.rtcp.SenderReport;
import dev.parley.mediarelay.rtp.RtpHeader;
import dev.parley.mediarelay.sdp.SdpFixtures;
import dev.parley.mediarelay.session.SessionRegistry;
import dev.parley.mediarelay.transport.DropReason;
import dev.parley.mediarelay.transport.DroppedPackets;
import dev.parley.mediarelay.transport.MediaSocket;
import dev.parley.testing.Keycloak;
import dev.parley.testing.LocalStack;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
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
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import java.util.stream.IntStream;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * RTCP between participants' sessions and the relay (RFC 3550 §6, RFC 4585, RFC 4588), over real
 * ICE, DTLS and SRTCP: a subscriber's slot gets its publisher asked for a keyframe; packets reach
 * the subscriber rewritten for its section; its NACK is answered from the cache as RTX, its PLI
 * reaches the publisher as the relay's PLI; the publisher's sender report reaches the subscriber
 * and the relay reports its reception to the publisher; malformed RTCP is counted and dropped.
 */
@QuarkusTest
class FeedbackIT {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Duration PATIENCE = Duration.ofSeconds(3);
    private static final long CAMERA = 2001;
    private static final long CAMERA_RTX = 2002;
    private static final long SUBSCRIBER_AUDIO = 5001;

    @Inject
    MediaSocket socket;
    @Inject
    SessionRegistry sessions;
    @Inject
    DroppedPackets dropped;
    @Inject
    MeterRegistry metrics;

    private final List<DatagramSocket> sockets = new ArrayList<>();
    private InetSocketAddress relay;
    private String room;

    /** A participant's transport: its socket and SRTP contexts. */
    private record Peer(DatagramSocket socket, SrtpTransformer srtp) {

        void sendRtp(byte[] rtp) throws Exception {
            SrtpPacket packet = new SrtpPacket(Arrays.copyOf(rtp, rtp.length + 20), 0, rtp.length);
            assertThat(srtp.protectRtp(packet)).isTrue();
            socket.send(new DatagramPacket(packet.getBuffer(), packet.getOffset(), packet.getLength()));
        }

        void sendRtcp(byte[] compound) throws Exception {
            SrtpPacket packet = new SrtpPacket(Arrays.copyOf(compound, compound.length + 20), 0, compound.length);
            assertThat(srtp.protectRtcp(packet)).isTrue();
            socket.send(new DatagramPacket(packet.getBuffer(), packet.getOffset(), packet.getLength()));
        }

        void sendRtcp(RtcpMessage message) throws Exception {
            sendRtcp(RtcpCompound.write(List.of(message)));
        }

        /** The next unprotected RTP packet matching {@code wanted}, skipping others. */
        byte[] rtp(Predicate<byte[]> wanted) throws Exception {
            return next(false, wanted, PATIENCE).orElseThrow(() -> new AssertionError("no such RTP packet"));
        }

        /** The first packet of {@code kind} in the next RTCP compound that has one, skipping others. */
        RtcpPacket rtcp(RtcpKind kind) throws Exception {
            return rtcp(kind, PATIENCE).orElseThrow(() -> new AssertionError("no " + kind + " packet"));
        }

        Optional<RtcpPacket> rtcp(RtcpKind kind, Duration patience) throws Exception {
            return next(true, bytes -> packets(bytes).stream().anyMatch(p -> p.kind() == kind), patience)
                    .map(compound -> packets(compound).stream().filter(p -> p.kind() == kind).findFirst().orElseThrow());
        }

        private Optional<byte[]> next(boolean rtcp, Predicate<byte[]> wanted, Duration patience) throws Exception {
            long deadline = System.nanoTime() + patience.toNanos();
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
    void setUp() {
        relay = new InetSocketAddress(InetAddress.getLoopbackAddress(), socket.localAddress().getPort());
        room = base32(4) + "-" + base32(4) + "-" + base32(4);
    }

    @AfterEach
    void tearDown() {
        sockets.forEach(DatagramSocket::close);
    }

    /** Keyframe requests sent and held back by the rate limit: every time the relay wanted one. */
    private double keyframeAsks() {
        return metrics.find("parley.media.keyframe.requests").counters().stream().mapToDouble(Counter::count).sum();
    }

    @Test
    void feedbackFlowsBetweenSubscriberRelayAndPublisher() throws Exception {
        Peer alice = join(SdpFixtures.offer(SdpFixtures.AUDIO_VIDEO_SCREEN), "Xk3f");
        double asksBefore = keyframeAsks();
        Peer bob = join(SdpFixtures.offer(SdpFixtures.RECEIVE_ONLY_VIDEO)
                .replace("a=ssrc:1001 ", "a=ssrc:" + SUBSCRIBER_AUDIO + " ").replace("a=ice-ufrag:Xk3f", "a=ice-ufrag:Yy9q"),
                "Yy9q");
        // Asked twice (sent, or held back by the rate limit): when bob's slot was assigned, and when
        // his SRTP was ready to receive the keyframe.
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(keyframeAsks() - asksBefore).isEqualTo(2));

        // Bob's slot started carrying Alice's camera: the relay asked Alice for a keyframe.
        assertThat(PictureLossIndication.parse(alice.rtcp(RtcpKind.PICTURE_LOSS_INDICATION)).mediaSsrc())
                .isEqualTo(CAMERA);

        byte[] payload = new byte[300];
        RANDOM.nextBytes(payload);
        for (int sequence = 100; sequence < 105; sequence++) {
            alice.sendRtp(rtp(CAMERA, 96, sequence, payload));
        }
        for (int sequence = 100; sequence < 105; sequence++) {
            int expected = sequence;
            byte[] received = bob.rtp(rtp -> RtpHeader.sequenceNumber(rtp, 0) == expected);
            assertThat(RtpHeader.rtpSsrc(received, 0).value()).isEqualTo(CAMERA);
            assertThat(Arrays.copyOfRange(received, received.length - payload.length, received.length)).isEqualTo(payload);
            assertThat(RtpHeader.extensionByte(received, 0, received.length, 9)).as("MID of Bob's section").isEqualTo('1');
        }

        // Bob lost 102: the relay resends it on the RTX stream, original sequence number first.
        bob.sendRtcp(new GenericNack(SUBSCRIBER_AUDIO, CAMERA, List.of(102)));
        byte[] rtx = bob.rtp(rtp -> RtpHeader.rtpSsrc(rtp, 0).value() == CAMERA_RTX);
        assertThat(RtpHeader.payloadType(rtx, 0)).isEqualTo(97);
        int headerLength = rtx.length - payload.length - 2;
        assertThat(((rtx[headerLength] & 0xFF) << 8) | (rtx[headerLength + 1] & 0xFF)).isEqualTo(102);
        assertThat(Arrays.copyOfRange(rtx, headerLength + 2, rtx.length)).isEqualTo(payload);

        // Bob cannot decode: his PLI reaches Alice as the relay's (once the rate limit allows).
        Optional<RtcpPacket> asked = Optional.empty();
        for (int attempt = 0; attempt < 20 && asked.isEmpty(); attempt++) {
            bob.sendRtcp(new PictureLossIndication(SUBSCRIBER_AUDIO, CAMERA));
            asked = alice.rtcp(RtcpKind.PICTURE_LOSS_INDICATION, Duration.ofMillis(150));
        }
        assertThat(asked).as("Bob's PLI reaches Alice").isPresent();
        assertThat(PictureLossIndication.parse(asked.get()).mediaSsrc()).isEqualTo(CAMERA);

        // Alice's sender report reaches Bob without report blocks; the relay reports to Alice.
        alice.sendRtcp(new SenderReport(CAMERA, 0x0102030405060708L, 9000, 5, 1500, List.of()));
        SenderReport passedOn = SenderReport.parse(bob.rtcp(RtcpKind.SENDER_REPORT));
        assertThat(passedOn.senderSsrc()).isEqualTo(CAMERA);
        assertThat(passedOn.ntpTimestamp()).isEqualTo(0x0102030405060708L);
        assertThat(passedOn.reportBlocks()).isEmpty();
        ReceiverReport report = ReceiverReport.parse(alice.rtcp(RtcpKind.RECEIVER_REPORT));
        assertThat(report.reportBlocks()).anySatisfy(block -> {
            assertThat(block.ssrc()).isEqualTo(CAMERA);
            assertThat(block.extendedHighestSequence() & 0xFFFF).isEqualTo(104);
        });

        // Authenticated but malformed RTCP is counted and dropped; the session goes on.
        long malformed = dropped.total(DropReason.RTCP_MALFORMED);
        alice.sendRtcp(new byte[] {(byte) 0x81, (byte) 201, 0, 7, 0, 0, 0, 1});
        await().atMost(Duration.ofSeconds(2)).until(() -> dropped.total(DropReason.RTCP_MALFORMED) == malformed + 1);
        alice.sendRtp(rtp(CAMERA, 96, 105, payload));
        assertThat(bob.rtp(rtp -> RtpHeader.sequenceNumber(rtp, 0) == 105)).isNotEmpty();
    }

    @Test
    void theRelayRecoversWhatItLostOfAPublisherWithNacksAndRtx() throws Exception {
        Peer alice = join(SdpFixtures.offer(SdpFixtures.AUDIO_VIDEO_SCREEN), "Xk3f");
        Peer bob = join(SdpFixtures.offer(SdpFixtures.RECEIVE_ONLY_VIDEO)
                .replace("a=ssrc:1001 ", "a=ssrc:" + SUBSCRIBER_AUDIO + " ").replace("a=ice-ufrag:Xk3f", "a=ice-ufrag:Yy9q"),
                "Yy9q");
        alice.rtcp(RtcpKind.PICTURE_LOSS_INDICATION);
        double recovered = counter("parley.media.recovered.packets");
        double discarded = counter("parley.media.rtx.discarded.packets");
        double unrecovered = counter("parley.media.unrecovered.packets");

        // 204 never reaches the relay: it asks Alice for it.
        byte[] payload = new byte[300];
        RANDOM.nextBytes(payload);
        for (int sequence : new int[] {200, 201, 202, 203, 205, 206}) {
            alice.sendRtp(rtp(CAMERA, 96, sequence, payload));
        }
        GenericNack nack = GenericNack.parse(alice.rtcp(RtcpKind.GENERIC_NACK));
        assertThat(nack.mediaSsrc()).isEqualTo(CAMERA);
        assertThat(nack.lostSequenceNumbers()).containsExactly(204);

        // Alice resends it on her RTX stream (RFC 4588 §4): Bob gets it as the late original.
        byte[] lost = new byte[300];
        RANDOM.nextBytes(lost);
        byte[] rtx = rtp(CAMERA_RTX, 97, 7000, new byte[2 + lost.length]);
        rtx[12] = 0;
        rtx[13] = (byte) 204;
        System.arraycopy(lost, 0, rtx, 14, lost.length);
        alice.sendRtp(rtx);
        byte[] late = bob.rtp(packet -> RtpHeader.sequenceNumber(packet, 0) == 204);
        assertThat(RtpHeader.rtpSsrc(late, 0).value()).isEqualTo(CAMERA);
        assertThat(RtpHeader.payloadType(late, 0)).isEqualTo(96);
        assertThat(Arrays.copyOfRange(late, late.length - lost.length, late.length)).isEqualTo(lost);
        await().atMost(PATIENCE).until(() -> counter("parley.media.recovered.packets") == recovered + 1);

        // The same retransmission again fills no gap: it goes no further.
        rtx[3]++; // RTX sequence number 7001
        alice.sendRtp(rtx);
        await().atMost(PATIENCE).until(() -> counter("parley.media.rtx.discarded.packets") >= discarded + 1);
        alice.sendRtp(rtp(CAMERA, 96, 207, payload));
        assertThat(bob.rtp(packet -> RtpHeader.sequenceNumber(packet, 0) == 207 || RtpHeader.sequenceNumber(packet, 0) == 204))
                .as("no second 204").satisfies(packet -> assertThat(RtpHeader.sequenceNumber(packet, 0)).isEqualTo(207));

        // A loss Alice never repairs is given up, counted, and repaired with a keyframe (PLI), as
        // soon as the keyframe rate limit allows.
        Optional<RtcpPacket> asked = Optional.empty();
        int sequence = 208;
        for (int attempt = 0; attempt < 20 && asked.isEmpty(); attempt++) {
            alice.sendRtp(rtp(CAMERA, 96, sequence, payload));
            alice.sendRtp(rtp(CAMERA, 96, sequence + 2, payload));
            sequence += 3;
            asked = alice.rtcp(RtcpKind.PICTURE_LOSS_INDICATION, Duration.ofMillis(400));
        }
        assertThat(asked).as("a PLI after giving up").isPresent();
        assertThat(PictureLossIndication.parse(asked.get()).mediaSsrc()).isEqualTo(CAMERA);
        assertThat(counter("parley.media.unrecovered.packets")).isGreaterThan(unrecovered);
    }

    private double counter(String name) {
        return metrics.counter(name).count();
    }

    @Test
    void aSpeakingParticipantBecomesTheDominantSpeaker() throws Exception {
        try (KafkaConsumer<String, byte[]> calls = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, LocalStack.kafkaBootstrap()),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = IntStream.range(0, Topic.CALLS.partitions())
                    .mapToObj(p -> new TopicPartition(Topic.CALLS.topicName(), p)).toList();
            calls.assign(partitions);
            calls.seekToEnd(partitions);
            partitions.forEach(calls::position);

            String participant = "p-" + base32(26);
            Peer alice = join(SdpFixtures.offer(SdpFixtures.AUDIO_VIDEO_SCREEN), "Xk3f", participant);
            byte[] voice = new byte[80];
            RANDOM.nextBytes(voice);
            long next = System.nanoTime();
            for (int sequence = 0; sequence < 75; sequence++) { // 1.5 s of 20 ms Opus frames, loud (-20 dBov)
                alice.sendRtp(audio(sequence, 20, voice));
                next += Duration.ofMillis(20).toNanos();
                LockSupport.parkNanos(next - System.nanoTime());
            }
            CallEventDeserializer events = new CallEventDeserializer();
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            Optional<DominantSpeakerChanged> change = Optional.empty();
            while (change.isEmpty() && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : calls.poll(Duration.ofMillis(200))) {
                    if (room.equals(record.key()) && events.deserialize(record.topic(), record.value())
                            instanceof DominantSpeakerChanged dominant) {
                        change = Optional.of(dominant);
                    }
                }
            }
            assertThat(change).as("dominant-speaker on the room stream")
                    .hasValueSatisfying(dominant -> assertThat(dominant.participantId().value()).isEqualTo(participant));
        }
    }

    /** An Opus packet of SSRC 1001 (the fixture's audio) with the RFC 6464 level as extension 1. */
    private static byte[] audio(int sequence, int level, byte[] payload) {
        byte[] header = {(byte) 0x90, 111, (byte) (sequence >> 8), (byte) sequence, 0, 0, (byte) (sequence >> 8),
                (byte) (sequence * 960), 0, 0, 0x03, (byte) 0xE9, (byte) 0xBE, (byte) 0xDE, 0, 1,
                0x10, (byte) (0x80 | level), 0, 0};
        byte[] packet = Arrays.copyOf(header, header.length + payload.length);
        System.arraycopy(payload, 0, packet, header.length, payload.length);
        return packet;
    }

    private Peer join(String offer, String clientUfrag) throws Exception {
        return join(offer, clientUfrag, "p-" + base32(26));
    }

    /** Opens a participant session with {@code offer} (its fingerprint made this client's) and connects. */
    private Peer join(String offer, String clientUfrag, String participant) throws Exception {
        DtlsIdentity certificate = DtlsIdentity.generate("parley-test-client", Duration.ofDays(1), new SecureRandom());
        String sdp = given().auth().oauth2(Keycloak.serviceToken()).contentType(ContentType.JSON)
                .body(Map.of("sdp", offer.replaceAll("a=fingerprint:sha-256 \\S+",
                        "a=fingerprint:sha-256 " + certificate.fingerprint().value())))
                .when().put("/api/v1/rooms/" + room + "/participants/" + participant + "/session")
                .then().statusCode(200).extract().path("sdp");
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
        await().atMost(Duration.ofSeconds(5)).until(() -> sessions.all().stream()
                .anyMatch(session -> session.participant().map(p -> p.value().equals(participant)).orElse(false)
                        && session.srtp().isPresent()));
        return new Peer(client, srtp);
    }

    private static byte[] rtp(long ssrc, int payloadType, int sequence, byte[] payload) {
        byte[] packet = Arrays.copyOf(new byte[] {(byte) 0x80, (byte) payloadType, (byte) (sequence >> 8), (byte) sequence,
                0, 0, 0, 1, (byte) (ssrc >> 24), (byte) (ssrc >> 16), (byte) (ssrc >> 8), (byte) ssrc}, 12 + payload.length);
        System.arraycopy(payload, 0, packet, 12, payload.length);
        return packet;
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
