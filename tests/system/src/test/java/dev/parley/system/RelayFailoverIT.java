package dev.parley.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.system.BrowserCallIT.Browsers;
import dev.parley.testing.DemoUser;
import dev.parley.testing.Keycloak;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The acceptance test of failover (issue 7, "Integration test, relay death"): two relays run, both
 * registered in Redis with placement on; four Chromium pages (the call-protocol client,
 * {@code src/test/browser/call.js}) are in one call on one relay and decode each other; that relay is
 * killed with SIGKILL. Every page must decode every other page's camera again within 5 seconds of
 * the kill, through the surviving relay, with nobody joining again: same participant ids, one
 * {@code join} per page, one {@code media-restart} ({@code relay-lost}) per page.
 *
 * <p>The relay to kill is started by this test. The room is placed on it by writing
 * {@code parley:room-relay:<room>} before anyone joins, as signaling's own placement would if that
 * relay were the least loaded. The run's main relay survives for the tests after this one. The
 * system runs relays with a 500 ms heartbeat, and signaling probes a relay 750 ms after its last
 * beat and drops it after 1.5 s ({@link RunningSystem}); docs/operations.md, "Relay failover",
 * gives the budget. The surviving relay has carried a call before ({@link #warmUp}), as a relay
 * in production has.
 */
@ExtendWith(RunningSystem.Extension.class)
class RelayFailoverIT {

    /** The acceptance bound: decoding again within this of the kill. */
    private static final Duration RECOVERY = Duration.ofSeconds(5);
    /**
     * A drain move is make-before-break: no page may go longer than this without a new decoded
     * frame of a camera. Closing the old connection first cost 1.9–2.0 s here (2026-11-26, the
     * harness before make-before-break); the old connection now plays on until the new one decodes.
     */
    private static final Duration DRAIN_GAP = Duration.ofMillis(1000);

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void fourPagesDecodeEachOtherAgainWithinFiveSecondsOfTheirRelaysDeath(RunningSystem system) throws Exception {
        ServiceProcess signaling = system.service("signaling");
        ServiceProcess survivor = system.service("media-relay");
        ServiceProcess dying = system.startReplica("media-relay");
        try {
            String survivorId = registeredRelay(system, survivor);
            String dyingId = registeredRelay(system, dying);

            Map<String, String> tokens = new LinkedHashMap<>();
            tokens.put("alice", Keycloak.accessToken(DemoUser.ALICE));
            String roomId = given().baseUri(signaling.url()).auth().oauth2(tokens.get("alice")).contentType(ContentType.JSON)
                    .body(Map.of("name", "Failover call", "lobby", false))
                    .when().post("/api/v1/rooms").then().statusCode(201).extract().path("id");
            for (DemoUser user : List.of(DemoUser.BOB, DemoUser.CAROL, DemoUser.DAVE)) {
                String token = Keycloak.accessToken(user);
                given().baseUri(signaling.url()).auth().oauth2(token).contentType(ContentType.JSON).body(Map.of())
                        .when().post("/api/v1/invites/" + BrowserCallIT.invite(signaling, tokens.get("alice"), roomId,
                                "participant") + "/redeem")
                        .then().statusCode(200);
                tokens.put(user.username(), token);
            }
            system.redis.eval("redis.call('SET', 'parley:room-relay:' .. ARGV[1], ARGV[2], 'EX', 3600) return 1",
                    roomId, dyingId);

            try (Browsers browsers = Browsers.start()) {
                warmUp(system, browsers, signaling, survivorId, tokens.get("alice"));
                Map<String, String> ids = browsers.open(signaling, roomId, BrowserCallIT.randomKey(), "drop", tokens,
                        "alice", "bob", "carol", "dave");
                JsonNode before = browsers.flowing("before-the-kill", BrowserCallIT.expectEachOther(ids));
                assertThat(before.path("met").asBoolean()).as("all four decoding before the kill; not rising: %s",
                        before.path("missing")).isTrue();
                assertThat(roomRelay(system, roomId)).as("the call is on the relay to be killed").isEqualTo(dyingId);
                assertThat(sessions(dying)).as("the four pages' sessions on the relay to be killed").isEqualTo(4);
                for (String page : ids.keySet()) {
                    assertThat(before.path("after").path(page).path("restarts")).as(page + " before the kill").isEmpty();
                }

                long killedAtMillis = System.currentTimeMillis();
                dying.kill();

                ObjectNode command = BrowserCallIT.command("recovery").put("sinceMs", killedAtMillis)
                        .put("timeoutMs", RECOVERY.plusSeconds(15).toMillis());
                cameras(ids).forEach(command.putObject("expect")::set);
                JsonNode after = browsers.call(command, RECOVERY.plusSeconds(40));
                browsers.record("after-the-kill", after);
                assertThat(after.path("met").asBoolean()).as("every camera decoding again on every page: %s",
                        after.path("firstDecoded")).isTrue();
                long recoveredMs = after.path("recoveredMs").asLong();

                long restartedAt = 0;
                for (String page : ids.keySet()) {
                    JsonNode stats = after.path("after").path(page);
                    assertThat(stats.path("participantId").asText()).as(page + " kept its place").isEqualTo(ids.get(page));
                    assertThat(stats.path("joins").asInt()).as(page + " joined once, never again").isEqualTo(1);
                    JsonNode restarts = stats.path("restarts");
                    assertThat(restarts).as(page + ": one media-restart").hasSize(1);
                    assertThat(restarts.get(0).path("reason").asText()).isEqualTo("relay-lost");
                    restartedAt = Math.max(restartedAt, restarts.get(0).path("at").asLong());
                    assertThat(stats.path("connectionState").asText()).as(page).isEqualTo("connected");
                    assertThat(stats.path("errors")).as(page + " errors").isEmpty();
                }
                System.out.printf("[system] relay failover: media-restart at every page %d ms after the kill; every camera "
                                + "decoding again on every page %d ms after the kill (first decoded frame per page and camera, "
                                + "sampled every ~100 ms: %s)%n",
                        restartedAt - killedAtMillis, recoveredMs, after.path("firstDecoded"));
                assertThat(recoveredMs).as("decoding again within %s of the kill", RECOVERY)
                        .isBetween(0L, RECOVERY.toMillis());
                assertThat(roomRelay(system, roomId)).as("the call moved to the surviving relay").isEqualTo(survivorId);
                assertThat(sessions(survivor)).as("the four pages' sessions on the surviving relay").isGreaterThanOrEqualTo(4);

                // Sound too, and nothing but the others' tracks: the call goes on as before.
                JsonNode settled = browsers.flowing("after-the-restart", BrowserCallIT.expectEachOther(ids));
                assertThat(settled.path("met").asBoolean()).as("cameras and microphones after the restart; not rising: %s",
                        settled.path("missing")).isTrue();
            }
        } finally {
            dying.kill();
        }
    }

    /**
     * Issue 7, "a draining relay moves its calls away before it exits": the pre-stop hook's
     * {@code GET /q/drain} on the relay carrying a two-person call makes signaling move the call
     * ({@code media-restart} {@code relay-draining}); both pages decode each other again on the other
     * relay without rejoining, and the drain answers 200 with no session left, long before its
     * timeout. The move is make-before-break: sampled in each page every ~50 ms from before the
     * drain until both decode on the new relay, the camera shown never goes {@link #DRAIN_GAP}
     * without a new decoded frame.
     */
    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void aDrainingRelayMovesItsCallAwayAndThenAnswersTheDrain(RunningSystem system) throws Exception {
        ServiceProcess signaling = system.service("signaling");
        ServiceProcess other = system.service("media-relay");
        ServiceProcess draining = system.startReplica("media-relay");
        try {
            String otherId = registeredRelay(system, other);
            String drainingId = registeredRelay(system, draining);
            Map<String, String> tokens = new LinkedHashMap<>();
            tokens.put("alice", Keycloak.accessToken(DemoUser.ALICE));
            tokens.put("bob", Keycloak.accessToken(DemoUser.BOB));
            String roomId = given().baseUri(signaling.url()).auth().oauth2(tokens.get("alice")).contentType(ContentType.JSON)
                    .body(Map.of("name", "Drained call", "lobby", false))
                    .when().post("/api/v1/rooms").then().statusCode(201).extract().path("id");
            given().baseUri(signaling.url()).auth().oauth2(tokens.get("bob")).contentType(ContentType.JSON).body(Map.of())
                    .when().post("/api/v1/invites/" + BrowserCallIT.invite(signaling, tokens.get("alice"), roomId,
                            "participant") + "/redeem")
                    .then().statusCode(200);
            system.redis.eval("redis.call('SET', 'parley:room-relay:' .. ARGV[1], ARGV[2], 'EX', 3600) return 1",
                    roomId, drainingId);

            try (Browsers browsers = Browsers.start()) {
                Map<String, String> ids = browsers.open(signaling, roomId, BrowserCallIT.randomKey(), "drop", tokens,
                        "alice", "bob");
                JsonNode before = browsers.flowing("before-the-drain", BrowserCallIT.expectEachOther(ids));
                assertThat(before.path("met").asBoolean()).as("both decoding before the drain; not rising: %s",
                        before.path("missing")).isTrue();
                assertThat(sessions(draining)).isEqualTo(2);
                ObjectNode watch = BrowserCallIT.command("watch");
                ids.keySet().forEach(watch.putArray("pages")::add);
                browsers.call(watch, Duration.ofSeconds(10));

                long drainStarted = System.nanoTime();
                AtomicLong answeredAt = new AtomicLong();
                CompletableFuture<Response> drained = CompletableFuture.supplyAsync(() -> {
                    Response drain = given().baseUri(draining.url()).when().get("/q/drain");
                    answeredAt.set(System.nanoTime());
                    return drain;
                });

                for (String page : ids.keySet()) {
                    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                            .until(() -> browsers.stats(page).path("restarts").size() > 0);
                }
                JsonNode after = browsers.flowing("after-the-drain-move", BrowserCallIT.expectEachOther(ids));
                assertThat(after.path("met").asBoolean()).as("both decoding again; not rising: %s", after.path("missing"))
                        .isTrue();
                for (String page : ids.keySet()) {
                    JsonNode stats = after.path("after").path(page);
                    assertThat(stats.path("participantId").asText()).isEqualTo(ids.get(page));
                    assertThat(stats.path("joins").asInt()).as(page + " joined once").isEqualTo(1);
                    assertThat(stats.path("restarts")).as(page + ": one media-restart").hasSize(1);
                    assertThat(stats.path("restarts").get(0).path("reason").asText()).isEqualTo("relay-draining");
                }
                assertThat(roomRelay(system, roomId)).isEqualTo(otherId);
                Response answer = drained.get(60, TimeUnit.SECONDS);
                assertThat(answer.statusCode()).as("the drain answers once the moved call's sessions closed").isEqualTo(200);
                assertThat(answer.jsonPath().getInt("sessions")).isZero();
                ObjectNode stop = BrowserCallIT.command("gaps");
                ids.keySet().forEach(stop.putArray("pages")::add);
                JsonNode gaps = browsers.call(stop, Duration.ofSeconds(10)).path("gaps");
                browsers.record("drain-gaps", gaps);
                long worstGap = 0;
                for (String page : ids.keySet()) {
                    JsonNode tracks = gaps.path(page).path("tracks");
                    assertThat(tracks.size()).as(page + " watched the other's camera").isEqualTo(1);
                    for (JsonNode track : tracks) {
                        worstGap = Math.max(worstGap, track.path("maxGapMs").asLong());
                    }
                }
                System.out.printf("[system] relay drain: the call moved and the drain answered %d ms after it began; the "
                                + "longest window without a new decoded frame of a camera on a page, from before the drain "
                                + "to after the move (sampled every ~50 ms): %d ms (per page: %s)%n",
                        Duration.ofNanos(answeredAt.get() - drainStarted).toMillis(), worstGap, gaps);
                assertThat(worstGap).as("no page without a new frame of a camera for longer than %s during the move",
                        DRAIN_GAP).isLessThan(DRAIN_GAP.toMillis());
            }
        } finally {
            draining.kill();
        }
    }

    /**
     * One short call on the surviving relay first. A relay process's first DTLS handshake costs it
     * about 2.5 s on this machine (class loading and cold code; the next take 0.1–0.3 s), and a
     * relay in production has carried calls before it takes over a dead one's. Without this, the
     * test would measure a JVM's warm-up instead of failover, in a run where the survivor has
     * carried nothing yet.
     */
    private static void warmUp(RunningSystem system, Browsers browsers, ServiceProcess signaling, String relayId,
                               String token) throws Exception {
        String roomId = given().baseUri(signaling.url()).auth().oauth2(token).contentType(ContentType.JSON)
                .body(Map.of("name", "Warm-up call", "lobby", false))
                .when().post("/api/v1/rooms").then().statusCode(201).extract().path("id");
        system.redis.eval("redis.call('SET', 'parley:room-relay:' .. ARGV[1], ARGV[2], 'EX', 3600) return 1",
                roomId, relayId);
        browsers.open(signaling, roomId, BrowserCallIT.randomKey(), "drop", Map.of("warm-up", token), "warm-up");
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> browsers.stats("warm-up").path("connectionState").asText().equals("connected"));
        browsers.leave("warm-up");
    }

    /** For each page: every other page's camera. */
    private static Map<String, ArrayNode> cameras(Map<String, String> ids) {
        Map<String, ArrayNode> expect = new LinkedHashMap<>();
        BrowserCallIT.expectEachOther(ids).forEach((page, tracks) -> {
            ArrayNode video = tracks.arrayNode();
            tracks.forEach(track -> {
                if (track.path("kind").asText().equals("video")) {
                    video.add(track);
                }
            });
            expect.put(page, video);
        });
        return expect;
    }

    /** The id under which {@code relay} registered in Redis (its control URL is its HTTP address). */
    static String registeredRelay(RunningSystem system, ServiceProcess relay) {
        String script = """
                for _, id in ipairs(redis.call('SMEMBERS', 'parley:relays')) do
                  if redis.call('HGET', 'parley:relay:' .. id, 'controlUrl') == ARGV[1] then
                    return {ok = id}
                  end
                end
                return {ok = ''}""";
        String[] id = new String[1];
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
            id[0] = system.redis.eval(script, relay.url()).substring(1);
            return !id[0].isEmpty();
        });
        return id[0];
    }

    static String roomRelay(RunningSystem system, String roomId) throws IOException {
        return system.redis.eval("return {ok = redis.call('GET', 'parley:room-relay:' .. ARGV[1]) or ''}", roomId)
                .substring(1);
    }

    /** The relay's {@code parley_media_sessions} gauge. */
    static long sessions(ServiceProcess relay) {
        String metrics = given().baseUri(relay.url()).when().get("/q/metrics").then().statusCode(200).extract().asString();
        for (String line : metrics.split("\n")) {
            if (line.startsWith("parley_media_sessions ") || line.startsWith("parley_media_sessions{")) {
                return (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        throw new AssertionError("the relay exports no parley_media_sessions");
    }
}
