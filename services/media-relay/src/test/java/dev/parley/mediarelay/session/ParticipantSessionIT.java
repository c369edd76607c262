package dev.parley.mediarelay.session;

import dev.parley.events.call.CallEvents.LeaveReason;
import dev.parley.events.call.CallEvents.ParticipantLeft;
import dev.parley.events.call.ParticipantId;
import dev.parley.events.identity.UserId;
import dev.parley.events.room.RoomId;
import dev.parley.events.kafka.JsonEventSerializer;
import dev.parley.mediarelay.rtp.Ssrc;
import dev.parley.mediarelay.sdp.SdpFixtures;
import dev.parley.testing.DemoUser;
import dev.parley.testing.Keycloak;
import dev.parley.testing.LocalStack;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

/**
 * The control API signaling negotiates participants' media through: publishing, slots that carry
 * other participants' tracks across renegotiations, refusals, and sessions closed when their
 * participant leaves the call.
 */
@QuarkusTest
class ParticipantSessionIT {

    private static final SecureRandom RANDOM = new SecureRandom();
    /** A Chromium offer publishing audio (mid 0), a camera (mid 1) and a screen (mid 2). */
    private static final String PUBLISHER = SdpFixtures.offer(SdpFixtures.AUDIO_VIDEO_SCREEN);
    /** A Chromium offer publishing audio (mid 0, SSRC 1001) and receiving one video (mid 1). */
    private static final String SUBSCRIBER = SdpFixtures.offer(SdpFixtures.RECEIVE_ONLY_VIDEO)
            .replace("a=ssrc:1001 ", "a=ssrc:5001 ").replace("a=ice-ufrag:Xk3f", "a=ice-ufrag:Yy9q");

    /** An SSRC where the offer names one: in {@code a=ssrc} and in a FID group. */
    private static final Pattern SSRC = Pattern.compile("(a=ssrc:|FID |(?<=FID \\d{1,10}) )(\\d+)");

    @Inject
    SessionRegistry sessions;

    private final String room = base32(4) + "-" + base32(4) + "-" + base32(4);
    private String token;
    private KafkaProducer<String, Object> kafka;

    @BeforeEach
    void setUp() {
        token = Keycloak.serviceToken();
        kafka = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, LocalStack.kafkaBootstrap(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new JsonEventSerializer<>());
    }

    @AfterEach
    void tearDown() {
        kafka.close();
    }

    @Test
    void aSubscribersSlotsCarryThePublishersTracksAcrossRenegotiations() {
        ParticipantId alice = participant();
        ParticipantId bob = participant();
        JsonPath published = put(alice, PUBLISHER, Map.of("2", "screen")).statusCode(200).extract().jsonPath();
        assertThat(published.getList("published.trackId")).containsExactly("0", "1", "2");
        assertThat(published.getList("published.source")).containsExactly("microphone", "camera", "screen");
        assertThat(published.getList("subscriptions")).isEmpty();
        assertThat(published.getString("sdp").lines()).filteredOn(line -> line.startsWith("a=recvonly")).hasSize(3);

        JsonPath first = put(bob, SUBSCRIBER, Map.of()).statusCode(200).extract().jsonPath();
        assertThat(first.getList("subscriptions.mid")).containsExactly("1");
        assertThat(first.getString("subscriptions[0].participantId")).isEqualTo(alice.value());
        assertThat(first.getString("subscriptions[0].source")).isEqualTo("camera");
        List<String> answer = first.getString("sdp").lines().toList();
        assertThat(section(answer, "1")).contains("a=sendonly", "a=msid:" + alice.value() + " " + alice.value() + "-1",
                "a=ssrc-group:FID 2001 2002", "a=ssrc:2001 cname:" + alice.value());
        // Transport-wide congestion control both ways: the relay numbers what it sends bob and takes
        // his feedback; it reports to alice what arrived of hers.
        assertThat(section(answer, "1")).anyMatch(line -> line.matches("a=rtcp-fb:\\d+ transport-cc"));
        assertThat(published.getString("sdp")).containsPattern("a=rtcp-fb:\\d+ transport-cc")
                .contains("transport-wide-cc-extensions-01");
        assertThat(sessions.byParticipant(bob).orElseThrow().transportCcId()).as("bob's transport-wide sequence id").isEqualTo(4);
        assertThat(sessions.byParticipant(alice).orElseThrow().transportCcId()).as("alice receives on no section").isZero();

        // A second receiving section: the camera stays where it is, the screen takes the new slot.
        JsonPath second = put(bob, withSecondVideoSlot(SUBSCRIBER), Map.of()).statusCode(200).extract().jsonPath();
        assertThat(second.getList("subscriptions.mid")).containsExactly("1", "3");
        assertThat(second.getList("subscriptions.trackId")).containsExactly("1", "2");
        assertThat(sessions.byParticipant(bob).orElseThrow().slotFor(new Ssrc(3001)))
                .hasValueSatisfying(slot -> assertThat(slot.mid()).isEqualTo("3"));

        // Alice stops her screen share: Bob's slot for it turns inactive, and is free again after.
        put(alice, PUBLISHER.replace("a=sendonly", "a=inactive"), Map.of()).statusCode(200)
                .body("published.trackId", equalTo(List.of("0", "1")));
        JsonPath third = put(bob, withSecondVideoSlot(SUBSCRIBER), Map.of()).statusCode(200).extract().jsonPath();
        assertThat(third.getList("subscriptions.mid")).containsExactly("1");
        assertThat(section(third.getString("sdp").lines().toList(), "3")).contains("a=inactive");
        assertThat(third.getString("sdp")).contains("o=- ").containsPattern("o=- \\d+ 3 IN IP4");
    }

    @Test
    void twoChromiumPeersEachReceiveTheOthersAudioAndVideo() {
        String offer = SdpFixtures.offer(SdpFixtures.SEND_AND_RECEIVE);
        ParticipantId alice = participant();
        ParticipantId bob = participant();
        put(alice, offer, Map.of()).statusCode(200);
        // Bob's PeerConnection: other ICE credentials and other SSRCs.
        String bobs = SSRC.matcher(offer).replaceAll(m -> m.group(1) + (Long.parseLong(m.group(2)) ^ 0x5A5A5A5AL))
                .replaceAll("a=ice-ufrag:\\S+", "a=ice-ufrag:B0bb");
        JsonPath answer = put(bob, bobs, Map.of()).statusCode(200).extract().jsonPath();
        assertThat(answer.getList("subscriptions.mid")).containsExactly("2", "3");
        assertThat(answer.getList("subscriptions.participantId")).containsOnly(alice.value());
        JsonPath again = put(alice, offer, Map.of()).statusCode(200).extract().jsonPath();
        assertThat(again.getList("subscriptions.mid")).containsExactly("2", "3");
        assertThat(again.getList("subscriptions.participantId")).containsOnly(bob.value());
    }

    @Test
    void anIceRestartKeepsTheSessionAndANewPeerConnectionReplacesIt() {
        ParticipantId alice = participant();
        String first = put(alice, PUBLISHER, Map.of()).statusCode(200).extract().path("sdp");
        Session before = sessions.byParticipant(alice).orElseThrow();
        put(alice, PUBLISHER, Map.of()).statusCode(200);
        assertThat(sessions.byParticipant(alice)).containsSame(before);

        // New ICE credentials, same certificate: an ICE restart (RFC 8445 §9). DTLS and SRTP go on.
        String restarted = put(alice, PUBLISHER.replace("a=ice-ufrag:Xk3f", "a=ice-ufrag:Zq7w"), Map.of())
                .statusCode(200).extract().path("sdp");
        assertThat(sessions.byParticipant(alice)).containsSame(before);
        assertThat(before.remoteIce().ufrag()).isEqualTo("Zq7w");
        assertThat(iceUfrag(restarted)).isNotEqualTo(iceUfrag(first)).isEqualTo(before.localIce().ufrag());
        assertThat(sessions.byLocalUfrag(iceUfrag(first))).isEmpty();
        assertThat(sessions.byLocalUfrag(iceUfrag(restarted))).containsSame(before);

        // Another certificate: another RTCPeerConnection, so another session.
        put(alice, PUBLISHER.replace("a=fingerprint:sha-256 5E:7A", "a=fingerprint:sha-256 6F:7A"), Map.of())
                .statusCode(200);
        assertThat(sessions.byParticipant(alice).orElseThrow()).isNotSameAs(before);
        assertThat(sessions.byId(before.id())).isEmpty();
    }

    private static String iceUfrag(String sdp) {
        return sdp.lines().filter(line -> line.startsWith("a=ice-ufrag:")).findFirst().orElseThrow()
                .substring("a=ice-ufrag:".length());
    }

    @Test
    void refusalsAreTypedAndChangeNothing() {
        ParticipantId alice = participant();
        put(alice, PUBLISHER, Map.of()).statusCode(200);
        ParticipantId bob = participant();
        put(bob, PUBLISHER.replace("a=ice-ufrag:Xk3f", "a=ice-ufrag:Bb0b"), Map.of()).statusCode(409)
                .body("type", startsWith("https://")).body("detail", containsString("already published in this room"));
        assertThat(sessions.byParticipant(bob)).isEmpty();
        put(bob, "v=0\r\nnot sdp\r\n", Map.of()).statusCode(400).body("title", equalTo("Invalid SDP offer"));
        put(bob, SUBSCRIBER, Map.of("0", "screen")).statusCode(400)
                .body("detail", containsString("bad-source"));
        put(bob, SUBSCRIBER, Map.of("1", "camera")).statusCode(400)
                .body("detail", containsString("no section this offer sends on"));
        put(bob, SUBSCRIBER, Map.of("0", "drums")).statusCode(400);
        given().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of("sdp", SUBSCRIBER))
                .when().put("/api/v1/rooms/" + room + "/participants/not-a-participant/session")
                .then().statusCode(400);
        assertThat(sessions.byParticipant(bob)).isEmpty();
    }

    @Test
    void onlySignalingsServiceAccountMayNegotiate() {
        given().auth().oauth2(Keycloak.accessToken(DemoUser.ALICE)).contentType(ContentType.JSON)
                .body(Map.of("sdp", SUBSCRIBER))
                .when().put("/api/v1/rooms/" + room + "/participants/" + participant().value() + "/session")
                .then().statusCode(403).body("title", equalTo("Not the control client"));
        given().contentType(ContentType.JSON).body(Map.of("sdp", SUBSCRIBER))
                .when().put("/api/v1/rooms/" + room + "/participants/" + participant().value() + "/session")
                .then().statusCode(401);
    }

    @Test
    void leavingTheCallClosesTheSession() {
        ParticipantId alice = participant();
        put(alice, PUBLISHER, Map.of()).statusCode(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> given().when().get("/q/health/ready").statusCode() == 200);
        kafka.send(new ProducerRecord<>("parley.calls", room, new ParticipantLeft(new RoomId(room),
                alice, new UserId("alice"), LeaveReason.LEFT, new UserId("alice"), Instant.now())));
        kafka.flush();
        await().atMost(Duration.ofSeconds(10)).until(() -> sessions.byParticipant(alice).isEmpty());
    }

    @Test
    void deleteClosesTheSession() {
        ParticipantId alice = participant();
        put(alice, PUBLISHER, Map.of()).statusCode(200);
        given().auth().oauth2(token).when().delete(path(alice)).then().statusCode(204);
        assertThat(sessions.byParticipant(alice)).isEmpty();
        given().auth().oauth2(token).when().delete(path(alice)).then().statusCode(204);
    }

    private ValidatableResponse put(ParticipantId participant, String sdp, Map<String, String> sources) {
        return given().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of("sdp", sdp, "sources", sources))
                .when().put(path(participant)).then();
    }

    private String path(ParticipantId participant) {
        return "/api/v1/rooms/" + room + "/participants/" + participant.value() + "/session";
    }

    private static ParticipantId participant() {
        return new ParticipantId("p-" + base32(26));
    }

    private static String base32(int letters) {
        StringBuilder text = new StringBuilder();
        String alphabet = "abcdefghijklmnopqrstuvwxyz234567";
        for (int i = 0; i < letters; i++) {
            text.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return text.toString();
    }

    /** The lines of the answer's section {@code mid}. */
    private static List<String> section(List<String> answer, String mid) {
        int at = answer.indexOf("a=mid:" + mid);
        int start = at;
        while (!answer.get(start).startsWith("m=")) {
            start--;
        }
        int end = at;
        while (end < answer.size() && !(end > at && answer.get(end).startsWith("m="))) {
            end++;
        }
        return answer.subList(start, end);
    }

    /** The subscriber's offer with its receiving video section repeated as mid 3. */
    private static String withSecondVideoSlot(String offer) {
        int video = offer.indexOf("m=video");
        int application = offer.indexOf("m=application");
        String slot = offer.substring(video, application).replace("a=mid:1", "a=mid:3");
        return offer.substring(0, application).replace("a=group:BUNDLE 0 1 2", "a=group:BUNDLE 0 1 2 3")
                + slot + offer.substring(application);
    }
}
