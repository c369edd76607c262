package dev.parley.system;

import dev.parley.client.media.MediaClient;
import dev.parley.client.media.MediaPlan;
import dev.parley.client.media.VideoSettings;
import dev.parley.client.media.negotiation.Answer;
import dev.parley.client.media.negotiation.ParticipantSessionNegotiator;
import dev.parley.client.media.negotiation.RelayPeer;
import dev.parley.client.media.negotiation.ServiceAccountToken;
import dev.parley.client.media.negotiation.Subscription;
import dev.parley.client.media.rtp.ReceivedStream;
import dev.parley.events.call.ParticipantId;
import dev.parley.events.room.RoomId;
import dev.parley.testing.Keycloak;
import dev.parley.testing.LocalStack;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpClient;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

/**
 * Cascading (docs/media-relay.md, "Cascading"): one room on two real relay processes, one in
 * region {@code eu} and one in {@code us}. Alice's session is on the first, Bob's on the second,
 * whose offer names the first as a peer, as signaling does: the relays link over their control
 * APIs and forward each other's participants' media. Each Java client receives the other's audio
 * and video through both relays, every packet authenticated by its own SRTP context and stamped
 * by the other client inside the payload, which the relays forwarded without reading. The second
 * relay loses 5% of what it receives (the test-only impairment), so it asks the first over the link
 * for what the link lost, which the first resends from its cache. When Bob stops rendering Alice's
 * camera, the second relay tells the first, which stops sending it over the link (its audio goes
 * on) until Bob renders it again. When Bob leaves, the second relay closes the link and the first
 * forgets Bob's tracks.
 */
@ExtendWith(RunningSystem.Extension.class)
class CascadeIT {

    private static final VideoSettings VIDEO = new VideoSettings(300_000, 30, 1);
    private static final Pattern LINKS = Pattern.compile("(?m)^parley_media_cascade_links(?:\\{[^}]*})? (\\S+)$");
    private static final Pattern LINK_PACKETS_IN =
            Pattern.compile("(?m)^parley_media_cascade_link_packets_total\\{direction=\"in\"[^}]*} (\\S+)$");
    private static final Pattern LINK_HELD =
            Pattern.compile("(?m)^parley_media_cascade_link_held_packets_total(?:\\{[^}]*})? (\\S+)$");
    private static final Pattern LINK_RETRANSMITTED =
            Pattern.compile("(?m)^parley_media_cascade_link_retransmitted_packets_total(?:\\{[^}]*})? (\\S+)$");

    private final SecureRandom random = new SecureRandom();
    private final HttpClient http = HttpClient.newHttpClient();
    private final ScheduledExecutorService timer = Executors.newScheduledThreadPool(2);
    private final List<AutoCloseable> opened = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (int i = opened.size() - 1; i >= 0; i--) {
            opened.get(i).close();
        }
        timer.shutdownNow();
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void participantsOnTwoRelaysOfOneRoomReceiveEachOther(RunningSystem system) throws Exception {
        String suffix = Long.toString(random.nextLong() & Long.MAX_VALUE, 36);
        ServiceProcess eu = relay(system, "cascade-eu-" + suffix, "eu", Map.of());
        ServiceProcess us = relay(system, "cascade-us-" + suffix, "us", Map.of(
                "PARLEY_MEDIA_RELAY_IMPAIRMENT_RECEIVE_LOSS", "0.05"));

        String room = RoomId.random(random).value();
        String aliceId = ParticipantId.random(random).value();
        String bobId = ParticipantId.random(random).value();
        ServiceAccountToken token = new ServiceAccountToken(http, LocalStack.issuer(), Keycloak.SERVICES_CLIENT,
                "parley-services-secret");
        MediaClient alice = client(1, new ParticipantSessionNegotiator(http, URI.create(eu.url()), room, aliceId, token));
        MediaClient bob = client(2, new ParticipantSessionNegotiator(http, URI.create(us.url()), room, bobId, token,
                List.of(new RelayPeer("cascade-eu-" + suffix, eu.url()))));
        MediaPlan plan = MediaPlan.publisher(VIDEO, 1);

        assertThat(alice.negotiate(plan).subscriptions()).as("nobody else is on either relay yet").isEmpty();
        assertCarries(bob.negotiate(plan), aliceId);
        assertThat(metric(eu, LINKS)).as("the eu relay's links").isEqualTo(1);
        assertThat(metric(us, LINKS)).as("the us relay's links").isEqualTo(1);
        assertCarries(alice.negotiate(plan), bobId);

        alice.startSending();
        bob.startSending();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertReceives(alice, bob, 50);
            assertReceives(bob, alice, 50);
        });
        for (MediaClient client : List.of(alice, bob)) {
            assertThat(client.received().unprotectFailures()).isZero();
            assertThat(client.received().unstamped()).as("payloads that arrived other than sent").isZero();
        }
        assertThat(metric(eu, LINK_PACKETS_IN)).as("packets the eu relay received over the link").isPositive();
        assertThat(metric(us, LINK_PACKETS_IN)).as("packets the us relay received over the link").isPositive();
        // The us relay lost some of alice's video coming over the link: it asked the eu relay, which resent it.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(metric(eu, LINK_RETRANSMITTED))
                .as("packets the eu relay resent over the link").isPositive());

        // Bob no longer renders alice's camera: the us relay tells the eu relay, which stops sending it.
        String aliceCamera = bob.answer().subscriptions().stream().filter(s -> s.kind().equals("video"))
                .findFirst().orElseThrow().mid();
        long aliceVideo = alice.publishedSsrcs().get(1);
        long aliceAudio = alice.publishedSsrcs().get(0);
        layout(us, room, bobId, aliceCamera, 0, 0);
        await().atMost(Duration.ofSeconds(20)).until(() -> metric(eu, LINK_HELD) > 0);
        double held = metric(eu, LINK_HELD);
        long videoAtBob = bob.received().stream(aliceVideo).received();
        long audioAtBob = bob.received().stream(aliceAudio).received();
        await().atMost(Duration.ofSeconds(20)).until(() -> metric(eu, LINK_HELD) >= held + 60);
        assertThat(bob.received().stream(aliceVideo).received()).as("alice's video at bob while held")
                .isEqualTo(videoAtBob);
        assertThat(bob.received().stream(aliceAudio).received()).as("alice's audio goes on")
                .isGreaterThan(audioAtBob);
        // He renders it again: it crosses the link again, from a keyframe.
        layout(us, room, bobId, aliceCamera, 640, 360);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(
                bob.received().stream(aliceVideo).received()).isGreaterThanOrEqualTo(videoAtBob + 30));

        // Bob leaves: the us relay has nobody of the room left and closes the link on both sides.
        bob.stopSending();
        bob.close();
        opened.remove(bob);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(metric(us, LINKS)).isZero();
            assertThat(metric(eu, LINKS)).isZero();
        });
        Answer afterBob = alice.negotiate(plan);
        assertThat(afterBob.subscriptions()).as("bob's tracks are gone from the eu relay").isEmpty();
    }

    private ServiceProcess relay(RunningSystem system, String id, String region, Map<String, String> more)
            throws Exception {
        Map<String, String> environment = new java.util.HashMap<>(more);
        environment.put("PARLEY_MEDIA_RELAY_RELAY_ID", id);
        environment.put("PARLEY_MEDIA_RELAY_REGION", region);
        ServiceProcess relay = system.startReplica("media-relay", environment);
        opened.add(relay::close);
        return relay;
    }

    private MediaClient client(int senderId, ParticipantSessionNegotiator negotiator) {
        MediaClient client = new MediaClient(senderId, negotiator, timer, random);
        opened.add(client);
        return client;
    }

    /** The answer's slots carry the other participant's microphone and camera. */
    private static void assertCarries(Answer answer, String publisher) {
        assertThat(answer.subscriptions()).extracting(Subscription::participantId, Subscription::kind)
                .containsExactlyInAnyOrder(tuple(publisher, "audio"),
                        tuple(publisher, "video"));
    }

    /** {@code receiver} got at least {@code packets} of each of {@code sender}'s audio and video, stamped by it. */
    private static void assertReceives(MediaClient receiver, MediaClient sender, int packets) {
        List<Long> published = sender.publishedSsrcs();
        for (long ssrc : List.of(published.get(0), published.get(1))) {
            ReceivedStream stream = receiver.received().stream(ssrc);
            assertThat(stream).as("stream %d", ssrc).isNotNull();
            assertThat(stream.received()).isGreaterThanOrEqualTo(packets);
            assertThat(stream.senderId()).as("whose stamp the payloads carry").isEqualTo(sender.senderId());
        }
    }

    /** Tells {@code relay} how large {@code participant} renders its section {@code mid}. */
    private static void layout(ServiceProcess relay, String room, String participant, String mid, int width, int height)
            throws Exception {
        given().baseUri(relay.url()).auth().oauth2(Keycloak.serviceToken()).contentType("application/json")
                .body(Map.of("tracks", Map.of(mid, Map.of("width", width, "height", height))))
                .when().put("/api/v1/rooms/" + room + "/participants/" + participant + "/layout")
                .then().statusCode(204);
    }

    private static double metric(ServiceProcess relay, Pattern pattern) {
        String metrics = given().baseUri(relay.url()).when().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher matcher = pattern.matcher(metrics);
        return matcher.find() ? Double.parseDouble(matcher.group(1)) : 0;
    }
}
