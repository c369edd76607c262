package dev.parley.mediarelay.load;

import dev.parley.client.media.MediaClient;
import dev.parley.client.media.MediaPlan;
import dev.parley.client.media.VideoSettings;
import dev.parley.client.media.negotiation.SessionsApiNegotiator;
import dev.parley.client.media.rtp.ReceiveStats;
import dev.parley.client.media.rtp.ReceivedStream;
import dev.parley.mediarelay.forward.ForwardedPackets;
import dev.parley.testing.DemoUser;
import dev.parley.testing.Keycloak;
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
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Java load client against the real relay: two participants of one room each complete ICE
 * (controlling, against the relay's ICE-lite), DTLS-SRTP and then publish synthetic Opus and VP8;
 * each receives the other's audio and video through the relay, every packet authenticated, and
 * nothing of its own. After a warm-up, three seconds of media pass with no packet lost.
 *
 * <p>The warm-up is there because the relay reads its port with the operating system's default
 * receive buffer (about 208 KiB on Linux, some 90 datagrams on loopback): while its receive path
 * is still interpreted, on a machine busy with builds, it can stall long enough for that buffer to
 * overflow, and the kernel drops what does not fit ({@code RcvbufErrors} in /proc/net/snmp).
 */
@QuarkusTest
class LoadClientIT {

    /** Enough video for key frames and interframes, light enough for a busy 2-core machine. */
    private static final VideoSettings VIDEO = new VideoSettings(400_000, 30, 1);
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
        String room = "load-" + UUID.randomUUID();
        String token = Keycloak.accessToken(DemoUser.ALICE);
        alice = new MediaClient(1, new SessionsApiNegotiator(http, relay, room, () -> token), timer, random);
        bob = new MediaClient(2, new SessionsApiNegotiator(http, relay, room, () -> token), timer, random);
        alice.negotiate(MediaPlan.publisher(VIDEO, 1));
        bob.negotiate(MediaPlan.publisher(VIDEO, 1));
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
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(forwarded.total() - forwardedBefore)
                .as("the relay forwarded each packet sent since the window began, once")
                .isEqualTo(alice.sentPackets() + bob.sentPackets() - sentBefore));
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
