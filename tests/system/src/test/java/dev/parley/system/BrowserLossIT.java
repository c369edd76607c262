package dev.parley.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.system.BrowserCallIT.Browsers;
import dev.parley.testing.DemoUser;
import dev.parley.testing.Keycloak;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Loss recovery in real browsers (issue 7): the relay is restarted with its test-only impairment
 * dropping 5% of the SRTP/SRTCP datagrams it receives and 5% of those it sends, independently at
 * random, and sending the rest 20 ms late (there is no netem on the test machines), and three Chromium pages publish camera and
 * microphone through it, every frame encrypted end to end. For 16 s every page must decode every
 * other page's camera in each 2-second window, decode most of the frames each publisher encoded,
 * and freeze rarely; the relay must have NACKed publishers, recovered packets from their RTX, and
 * answered subscribers' NACKs from its cache. The relay is restarted without impairment afterwards.
 */
@ExtendWith(RunningSystem.Extension.class)
class BrowserLossIT {

    private static final String LOSS = "0.05";
    /** On everything the relay sends: a round trip for NACKs and retransmissions to take, as on a network. */
    private static final String DELAY = "20ms";
    private static final int WINDOWS = 8;
    private static final Duration WINDOW = Duration.ofSeconds(2);
    /** The share of the frames a publisher encoded that each subscriber must decode over the run. */
    private static final double MIN_DECODED_SHARE = 0.75;
    /**
     * Freezes (Chromium's freezeCount: a frame more than max(3 × the mean frame interval, mean +
     * 150 ms) after the previous one) each subscriber may see per remote camera over the run, and
     * how long they may last in all. Measured on 2 busy cores: 0–4 freezes, mostly under 1.5 s in
     * all; once a single freeze of 3.2 s (Chromium asks for a keyframe after 3 s without a
     * decodable frame), which one such freeze may cost, but not two.
     */
    private static final int MAX_FREEZES = 8;
    private static final double MAX_FROZEN_SECONDS = 4;

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void videoKeepsFlowingThroughARelayLosingFivePercentEachWay(RunningSystem system) throws Exception {
        system.restart("media-relay", Map.of(
                "PARLEY_MEDIA_RELAY_IMPAIRMENT_RECEIVE_LOSS", LOSS,
                "PARLEY_MEDIA_RELAY_IMPAIRMENT_SEND_LOSS", LOSS,
                "PARLEY_MEDIA_RELAY_IMPAIRMENT_SEND_DELAY", DELAY));
        try {
            threePagesThroughTheLossyRelay(system);
        } finally {
            system.restart("media-relay", Map.of());
        }
    }

    private void threePagesThroughTheLossyRelay(RunningSystem system) throws Exception {
        ServiceProcess signaling = system.service("signaling");
        ServiceProcess relay = system.service("media-relay");
        Map<String, String> tokens = new LinkedHashMap<>();
        tokens.put("alice", Keycloak.accessToken(DemoUser.ALICE));
        String roomId = given().baseUri(signaling.url()).auth().oauth2(tokens.get("alice")).contentType(ContentType.JSON)
                .body(Map.of("name", "Lossy call", "lobby", false))
                .when().post("/api/v1/rooms").then().statusCode(201).extract().path("id");
        for (DemoUser user : List.of(DemoUser.BOB, DemoUser.CAROL)) {
            String token = Keycloak.accessToken(user);
            given().baseUri(signaling.url()).auth().oauth2(token).contentType(ContentType.JSON).body(Map.of())
                    .when().post("/api/v1/invites/" + BrowserCallIT.invite(signaling, tokens.get("alice"), roomId,
                            "participant") + "/redeem")
                    .then().statusCode(200);
            tokens.put(user.username(), token);
        }

        try (Browsers browsers = Browsers.start()) {
            Map<String, String> ids = browsers.open(signaling, roomId, BrowserCallIT.randomKey(), "drop", tokens,
                    "alice", "bob", "carol");
            Map<String, ArrayNode> expect = BrowserCallIT.expectEachOther(ids);
            JsonNode started = browsers.flowing("lossy-start", expect);
            assertThat(started.path("met").asBoolean()).as("media flowing at all: %s", started.path("missing")).isTrue();
            Map<String, Double> metricsBefore = relayMetrics(relay);

            // Every camera keeps decoding on every page, window after window; one window in which a
            // camera stalls is a freeze (a packet the relay could not recover, then a keyframe, which
            // the loss may hit too) and is allowed once in the run: the totals below still bound the
            // freezes and the time frozen.
            JsonNode first = null;
            JsonNode last = null;
            int stalledWindows = 0;
            for (int window = 0; window < WINDOWS; window++) {
                ObjectNode command = BrowserCallIT.command("flowing").put("timeoutMs", WINDOW.toMillis())
                        .put("gapMs", WINDOW.toMillis());
                ObjectNode expected = command.putObject("expect");
                expect.forEach(expected::set);
                JsonNode result = browsers.call(command, WINDOW.plusSeconds(20));
                browsers.record("lossy-window-" + window, result);
                printPublishers(window, result.path("after"), ids.keySet());
                boolean stalled = !result.path("met").asBoolean();
                if (stalled) {
                    stalledWindows++;
                    System.out.printf("[system] loss 5%%+5%%, +20 ms, window %d: a camera stalled: %s%n", window,
                            result.path("missing"));
                }
                assertThat(stalledWindows > 1)
                        .as("window %d of %s: every camera decoding (a second stalled window); not rising: %s",
                                window, WINDOW, result.path("missing")).isFalse();
                first = first == null ? result : first;
                last = result;
            }
            JsonNode before = first.path("before");
            JsonNode after = last.path("after");
            Map<String, Double> metricsAfter = relayMetrics(relay);

            for (String page : ids.keySet()) {
                assertThat(after.path(page).path("errors")).as(page + " errors").isEmpty();
                for (String other : ids.keySet()) {
                    if (other.equals(page)) {
                        continue;
                    }
                    JsonNode was = BrowserCallIT.inbound(before.path(page), ids.get(other), "video", "camera");
                    JsonNode now = BrowserCallIT.inbound(after.path(page), ids.get(other), "video", "camera");
                    long decoded = now.path("framesDecoded").asLong() - was.path("framesDecoded").asLong();
                    long encoded = framesEncoded(after.path(other)) - framesEncoded(before.path(other));
                    long freezes = now.path("freezeCount").asLong() - was.path("freezeCount").asLong();
                    double frozen = now.path("totalFreezesDuration").asDouble() - was.path("totalFreezesDuration").asDouble();
                    long nacks = now.path("nackCount").asLong() - was.path("nackCount").asLong();
                    long lost = now.path("packetsLost").asLong() - was.path("packetsLost").asLong();
                    System.out.printf("[system] loss 5%%+5%%, +20 ms, %s decodes %s's camera: %d of %d frames encoded (%.0f%%),"
                                    + " %d freezes (%.2f s), %d NACKs sent, %d packets lost%n", page, other, decoded, encoded,
                            100.0 * decoded / Math.max(1, encoded), freezes, frozen, nacks, lost);
                    assertThat(decoded).as(page + " decodes most of " + other + "'s frames (" + encoded + " encoded)")
                            .isGreaterThanOrEqualTo((long) Math.ceil(MIN_DECODED_SHARE * encoded));
                    assertThat(freezes).as(page + ": freezes of " + other + "'s camera").isLessThanOrEqualTo(MAX_FREEZES);
                    assertThat(frozen).as(page + ": seconds " + other + "'s camera froze").isLessThanOrEqualTo(MAX_FROZEN_SECONDS);
                }
            }

            double nacked = delta(metricsBefore, metricsAfter, "parley_media_publisher_nacked_packets_total");
            double recovered = delta(metricsBefore, metricsAfter, "parley_media_recovered_packets_total");
            double unrecovered = delta(metricsBefore, metricsAfter, "parley_media_unrecovered_packets_total");
            double answered = delta(metricsBefore, metricsAfter, "parley_media_retransmitted_packets_total");
            double misses = delta(metricsBefore, metricsAfter, "parley_media_nack_misses_total");
            double droppedIn = delta(metricsBefore, metricsAfter, "parley_media_dropped_packets_total{reason=\"impaired-receive\"");
            double droppedOut = delta(metricsBefore, metricsAfter, "parley_media_dropped_packets_total{reason=\"impaired-send\"");
            double keyframes = delta(metricsBefore, metricsAfter, "parley_media_keyframe_requests_total{outcome=\"sent\"");
            System.out.printf("[system] loss 5%%+5%%, +20 ms, relay over %d s: dropped %.0f in / %.0f out; NACKed publishers for"
                            + " %.0f packets, recovered %.0f, gave up %.0f; answered %.0f subscriber NACKs (%.0f misses);"
                            + " %.0f keyframe requests%n", WINDOWS * WINDOW.toSeconds(), droppedIn, droppedOut, nacked,
                    recovered, unrecovered, answered, misses, keyframes);
            assertThat(droppedIn).as("the impairment dropped arriving packets").isPositive();
            assertThat(droppedOut).as("the impairment dropped sent packets").isPositive();
            assertThat(nacked).as("NACKs to publishers").isPositive();
            assertThat(recovered).as("packets recovered from publishers' RTX").isPositive();
            assertThat(answered).as("subscribers' NACKs answered from the cache").isPositive();
        }
    }

    /**
     * Each page's camera as its congestion control sees it at the end of a window: the estimate of
     * its uplink (availableOutgoingBitrate), the encoder's target and what limits its quality.
     */
    private static void printPublishers(int window, JsonNode after, Iterable<String> pages) {
        StringBuilder line = new StringBuilder("[system] loss 5%+5%, +20 ms, window " + window + ":");
        for (String page : pages) {
            JsonNode stats = after.path(page);
            for (JsonNode outbound : stats.path("outbound")) {
                if ("camera".equals(outbound.path("source").asText())) {
                    line.append(String.format(" %s sends %d frames, target %.0f kbit/s (%s), uplink estimate %.0f kbit/s;",
                            page, outbound.path("framesEncoded").asLong(), outbound.path("targetBitrate").asDouble() / 1000,
                            outbound.path("qualityLimitationReason").asText(),
                            stats.path("availableOutgoingBitrate").asDouble() / 1000));
                }
            }
        }
        System.out.println(line);
    }

    /** What the page's camera encoded: the most of its outbound streams (one, or the top simulcast layer). */
    private static long framesEncoded(JsonNode stats) {
        long most = 0;
        for (JsonNode outbound : stats.path("outbound")) {
            if ("camera".equals(outbound.path("source").asText())) {
                most = Math.max(most, outbound.path("framesEncoded").asLong());
            }
        }
        assertThat(most).as("camera frames encoded in " + stats.path("outbound")).isPositive();
        return most;
    }

    private static double delta(Map<String, Double> before, Map<String, Double> after, String prefix) {
        return sum(after, prefix) - sum(before, prefix);
    }

    private static double sum(Map<String, Double> metrics, String prefix) {
        return metrics.entrySet().stream().filter(entry -> entry.getKey().startsWith(prefix))
                .mapToDouble(Map.Entry::getValue).sum();
    }

    /** The relay's Prometheus samples, by series (name and labels). */
    private static Map<String, Double> relayMetrics(ServiceProcess relay) {
        String text = given().baseUri(relay.url()).when().get("/q/metrics").then().statusCode(200).extract().asString();
        Map<String, Double> samples = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            if (line.startsWith("parley_media_")) {
                samples.put(line.substring(0, line.lastIndexOf(' ')), Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)));
            }
        }
        assertThat(samples).as("relay metrics").containsKey("parley_media_recovered_packets_total");
        return samples;
    }
}
