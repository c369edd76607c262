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
 * by the other client inside the payload, which the relays forwarded without reading. When Bob
 * leaves, the second relay closes the link and the first forgets Bob's tracks.
 */
@ExtendWith(RunningSystem.Extension.class)
class CascadeIT {

    private static final VideoSettings VIDEO = new VideoSettings(300_000, 30, 1);
    private static final Pattern LINKS = Pattern.compile("(?m)^parley_media_cascade_links(?:\\{[^}]*})? (\\S+)$");
    private static final Pattern LINK_PACKETS_IN =
            Pattern.compile("(?m)^parley_media_cascade_link_packets_total\\{direction=\"in\"[^}]*} (\\S+)$");

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
        ServiceProcess eu = relay(system, "cascade-eu-" + suffix, "eu");
        ServiceProcess us = relay(system, "cascade-us-" + suffix, "us");

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

    private ServiceProcess relay(RunningSystem system, String id, String region) throws Exception {
        ServiceProcess relay = system.startReplica("media-relay", Map.of(
                "PARLEY_MEDIA_RELAY_RELAY_ID", id, "PARLEY_MEDIA_RELAY_REGION", region));
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

    private static double metric(ServiceProcess relay, Pattern pattern) {
        String metrics = given().baseUri(relay.url()).when().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher matcher = pattern.matcher(metrics);
        return matcher.find() ? Double.parseDouble(matcher.group(1)) : 0;
    }
}
