package dev.parley.mediarelay.load;

import dev.parley.client.media.MediaClient;
import dev.parley.client.media.MediaPlan;
import dev.parley.client.media.VideoSettings;
import dev.parley.client.media.negotiation.Answer;
import dev.parley.client.media.negotiation.ParticipantSessionNegotiator;
import dev.parley.client.media.negotiation.ServiceAccountToken;
import dev.parley.client.media.negotiation.Subscription;
import dev.parley.client.media.sdp.RemoteSection;
import dev.parley.client.media.rtp.ReceiveStats;
import dev.parley.client.media.rtp.ReceivedStream;
import dev.parley.mediarelay.forward.ForwardedPackets;
import dev.parley.events.call.ParticipantId;
import dev.parley.events.room.RoomId;
import dev.parley.testing.Keycloak;
import dev.parley.testing.LocalStack;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Java load client against the real relay, negotiating as signaling does through the control
 * API (docs/media-relay.md §4b): two participants of one room each complete ICE (controlling,
 * against the relay's ICE-lite) and DTLS-SRTP; alice joins first, bob's offer gets alice's tracks
 * in its receive-only slots, and alice's second offer (same transport) gets bob's. Then both
 * publish synthetic Opus and VP8; each receives the other's audio and video through the relay,
 * every packet authenticated, and nothing of its own. After a warm-up (the relay's receive path
 * starts interpreted, on a machine busy with builds), three seconds of media pass with no packet
 * lost.
 */
@QuarkusTest
class LoadClientIT {

    /** Enough video for key frames and interframes, light enough for a busy 2-core machine. */
    private static final VideoSettings VIDEO = new VideoSettings(400_000, 30, 1);
    /** More packets than two clients have in flight on loopback at any moment (~0.1 s of their media). */
    private static final long IN_FLIGHT = 50;
    /** Three seconds of Opus: the measured window. */
    private static final int WINDOW_AUDIO_PACKETS = 150;

    @TestHTTPResource("/")
    URI relay;

    @Inject
    ForwardedPackets forwarded;

    private final ScheduledExecutorService timer = Executors.newScheduledThreadPool(2);
    private final HttpClient http = HttpClient.newHttpClient();
    private final SecureRandom random = new SecureRandom();
    private MediaClient alice;
    private MediaClient bob;

    @AfterEach
    void tearDown() throws Exception {
        for (MediaClient client : new MediaClient[] {alice, bob}) {
            if (client != null) {
                client.close();
            }
        }
        timer.shutdownNow();
    }

    @Test
    void twoLoadClientsReceiveEachOthersAudioAndVideoWithoutLoss() throws Exception {
        String room = RoomId.random(random).value();
        String aliceId = ParticipantId.random(random).value();
        String bobId = ParticipantId.random(random).value();
        ServiceAccountToken token = new ServiceAccountToken(http, LocalStack.issuer(), Keycloak.SERVICES_CLIENT,
                "parley-services-secret");
        alice = new MediaClient(1, new ParticipantSessionNegotiator(http, relay, room, aliceId, token), timer, random);
        bob = new MediaClient(2, new ParticipantSessionNegotiator(http, relay, room, bobId, token), timer, random);
        MediaPlan plan = MediaPlan.publisher(VIDEO, 1);
        assertThat(alice.negotiate(plan).subscriptions()).as("nobody else is there yet").isEmpty();
        assertCarries(bob.negotiate(plan), bob, alice, aliceId);
        assertCarries(alice.negotiate(plan), alice, bob, bobId);
        assertThat(alice.remote().iceLite()).isTrue();

        alice.startSending();
        bob.startSending();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertReceivesOnly(alice, bob, 50);
            assertReceivesOnly(bob, alice, 50);
        });

        long forwardedBefore = forwarded.total();
        long sentBefore = alice.sentPackets() + bob.sentPackets();
        ReceiveStats.Totals aliceBefore = alice.received().totals();
        ReceiveStats.Totals bobBefore = bob.received().totals();
        long aliceAudio = bob.received().stream(alice.publishedSsrcs().get(0)).received();
        long bobAudio = alice.received().stream(bob.publishedSsrcs().get(0)).received();
        await().atMost(Duration.ofSeconds(30)).until(() ->
                alice.received().stream(bob.publishedSsrcs().get(0)).received() >= bobAudio + WINDOW_AUDIO_PACKETS
                        && bob.received().stream(alice.publishedSsrcs().get(0)).received() >= aliceAudio + WINDOW_AUDIO_PACKETS);
        alice.stopSending();
        bob.stopSending();

        ReceiveStats.Totals aliceWindow = alice.received().totals().since(aliceBefore);
        ReceiveStats.Totals bobWindow = bob.received().totals().since(bobBefore);
        assertThat(aliceWindow.lost()).as("lost by alice in the window of %s", aliceWindow).isZero();
        assertThat(bobWindow.lost()).as("lost by bob in the window of %s", bobWindow).isZero();
        // The two counters are read a moment apart while packets are in flight: those sent just before
        // the window began may be forwarded inside it. So each packet sent in the window is forwarded
        // once (no copy lost, none doubled), give or take the few in flight at its start.
        long sentInWindow = alice.sentPackets() + bob.sentPackets() - sentBefore;
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(forwarded.total() - forwardedBefore)
                .as("the relay forwarded each packet sent since the window began, once")
                .isBetween(sentInWindow, sentInWindow + IN_FLIGHT));
        for (MediaClient client : List.of(alice, bob)) {
            ReceiveStats received = client.received();
            assertThat(received.unprotectFailures()).isZero();
            assertThat(received.unstamped()).isZero();
            assertThat(received.latencySinceLastCall().getValueAtPercentile(50))
                    .as("median one-way latency through the relay, in ns").isLessThan(Duration.ofMillis(100).toNanos());
            assertThat(client.sendFailures()).isZero();
            assertThat(client.consentFresh()).isTrue();
        }
    }

    /**
     * The answer gives {@code receiver}'s audio slot (mid 2) and video slot (mid 3) the sender's
     * microphone (track 0) and camera (track 1), with the sender's SSRCs in {@code a=ssrc}.
     */
    private static void assertCarries(Answer answer, MediaClient receiver, MediaClient sender, String senderId) {
        assertThat(answer.subscriptions()).containsExactlyInAnyOrder(
                new Subscription("2", senderId, "0", "audio", "microphone"),
                new Subscription("3", senderId, "1", "video", "camera"));
        RemoteSection audioSlot = receiver.remote().section("2").orElseThrow();
        RemoteSection videoSlot = receiver.remote().section("3").orElseThrow();
        assertThat(audioSlot.direction().sends()).isTrue();
        assertThat(audioSlot.ssrcs()).contains(sender.publishedSsrcs().get(0));
        assertThat(videoSlot.ssrcs()).contains(sender.publishedSsrcs().get(1));
    }

    /**
     * {@code receiver} gets exactly {@code sender}'s audio and video SSRCs (not its RTX, which
     * carries nothing), at least {@code packets} of each, stamped by {@code sender}.
     */
    private static void assertReceivesOnly(MediaClient receiver, MediaClient sender, int packets) {
        List<Long> published = sender.publishedSsrcs();
        long audio = published.get(0);
        long video = published.get(1);
        assertThat(receiver.received().streams()).extracting(ReceivedStream::ssrc).containsExactlyInAnyOrder(audio, video);
        assertThat(receiver.received().stream(audio).received()).isGreaterThanOrEqualTo(packets);
        assertThat(receiver.received().stream(video).received()).isGreaterThanOrEqualTo(packets);
        assertThat(receiver.received().stream(video).senderId()).isEqualTo(sender.senderId());
    }
}
