package dev.parley.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.testing.DemoUser;
import dev.parley.testing.Keycloak;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;
import static org.awaitility.Awaitility.await;

/**
 * The acceptance test of media in a browser (issue 6): headless Chromium pages publish Chromium's
 * fake camera and microphone through the real media relay, negotiated through the real signaling
 * service with the call protocol (docs/protocol.md), every frame encrypted by the pages with an
 * encoded transform the relay cannot read. Two pages, then four, decode every other participant's
 * video and receive their audio; one leaves and the rest go on; a screen share arrives as a track of
 * its own; a page without the key receives the packets and decodes nothing.
 *
 * <p>The pages and their driver live in {@code src/test/browser} (Node.js, npm {@code playwright-core},
 * {@code /usr/bin/chromium}); the driver's log is {@code target/browser-logs/}.
 */
@ExtendWith(RunningSystem.Extension.class)
class BrowserCallIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** How long media may take to flow after a change: the issue asks for "within a few seconds". */
    private static final Duration FLOWING = Duration.ofSeconds(15);

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void pagesSeeAndHearEachOtherThroughTheRelayWithEncryptedFrames(RunningSystem system) throws Exception {
        ServiceProcess signaling = system.service("signaling");
        ServiceProcess relay = system.service("media-relay");
        Map<String, String> tokens = new LinkedHashMap<>();
        tokens.put("alice", Keycloak.accessToken(DemoUser.ALICE));
        String roomId = given().baseUri(signaling.url()).auth().oauth2(tokens.get("alice")).contentType(ContentType.JSON)
                .body(Map.of("name", "Browser call", "lobby", false))
                .when().post("/api/v1/rooms").then().statusCode(201).extract().path("id");
        for (DemoUser user : List.of(DemoUser.BOB, DemoUser.CAROL, DemoUser.DAVE)) {
            String token = Keycloak.accessToken(user);
            given().baseUri(signaling.url()).auth().oauth2(token).contentType(ContentType.JSON).body(Map.of())
                    .when().post("/api/v1/invites/" + invite(signaling, tokens.get("alice"), roomId, "participant") + "/redeem")
                    .then().statusCode(200);
            tokens.put(user.username(), token);
        }
        String key = randomKey();
        double forwardedBefore = forwardedPackets(relay);

        try (Browsers browsers = Browsers.start()) {
            Map<String, String> ids = new LinkedHashMap<>();

            // Two pages: each decodes the other's camera and hears its microphone.
            ids.putAll(browsers.open(signaling, roomId, key, "drop", tokens, "alice", "bob"));
            JsonNode two = browsers.flowing("two-pages", expectEachOther(ids));
            assertFlowing(two, ids);

            // Four pages: each decodes the three others.
            ids.putAll(browsers.open(signaling, roomId, key, "drop", tokens, "carol", "dave"));
            JsonNode four = browsers.flowing("four-pages", expectEachOther(ids));
            assertFlowing(four, ids);

            // One leaves: the other three go on decoding each other, and dave's slots are let go.
            browsers.leave("dave");
            ids.remove("dave");
            JsonNode three = browsers.flowing("after-a-leave", expectEachOther(ids));
            assertFlowing(three, ids);
            for (String page : ids.keySet()) {
                for (String other : ids.keySet()) {
                    if (!other.equals(page)) {
                        // The same slot, the same decoder: it went on rather than starting again.
                        JsonNode was = inbound(four.path("after").path(page), ids.get(other), "video", "camera");
                        JsonNode now = inbound(three.path("after").path(page), ids.get(other), "video", "camera");
                        assertThat(now.path("mid").asText()).as(page + ": slot of " + other).isEqualTo(was.path("mid").asText());
                        assertThat(now.path("framesDecoded").asLong()).as(page + " decodes " + other)
                                .isGreaterThan(was.path("framesDecoded").asLong());
                    }
                }
            }

            // alice shares a (fake) screen: bob and carol decode it as a track of its own.
            JsonNode shared = browsers.call(command("screen").put("page", "alice"), Duration.ofSeconds(30));
            String screenMid = shared.path("mid").asText();
            assertThat(screenMid).as("the screen share's own sending section").isNotBlank();
            Map<String, ArrayNode> expect = expectEachOther(ids);
            for (String viewer : List.of("bob", "carol")) {
                expect.get(viewer).add(track(ids.get("alice"), "video", "screen"));
            }
            JsonNode screen = browsers.flowing("screen-share", expect);
            assertFlowing(screen, ids);
            for (String viewer : List.of("bob", "carol")) {
                JsonNode after = screen.path("after").path(viewer);
                JsonNode camera = inbound(after, ids.get("alice"), "video", "camera");
                JsonNode display = inbound(after, ids.get("alice"), "video", "screen");
                assertThat(display.path("mid").asText()).as(viewer + ": screen and camera in separate sections")
                        .isNotEqualTo(camera.path("mid").asText());
                assertThat(display.path("trackId").asText()).isEqualTo(screenMid);
                // The canvas is 16:9, the fake camera 4:3: the screen track carries the canvas.
                assertThat(aspect(display)).as(viewer + " screen " + display).isCloseTo(16.0 / 9, offset(0.05));
                assertThat(aspect(camera)).as(viewer + " camera " + camera).isCloseTo(4.0 / 3, offset(0.05));
            }

            // The relay forwarded it all (one count per copy sent to a subscriber).
            assertThat(forwardedPackets(relay)).as("parley_media_forwarded_packets_total").isGreaterThan(forwardedBefore + 1000);

            // A guest whose pages hold another key: the relay sends it everything, it opens nothing, and
            // what its decoder gets (the frames as they arrived) is nothing it can show.
            String eveToken = redeemAsGuest(signaling, invite(signaling, tokens.get("alice"), roomId, "guest"), "Eve Eavesdropper");
            tokens.put("eve", eveToken);
            ids.putAll(browsers.open(signaling, roomId, randomKey(), "pass", tokens, "eve"));
            List<String> others = List.of(ids.get("alice"), ids.get("bob"), ids.get("carol"));
            JsonNode eve = await("eve receives everyone's camera").atMost(FLOWING).pollInterval(Duration.ofMillis(500))
                    .until(() -> browsers.stats("eve"), stats -> receivedVideoOf(stats, others, 150));
            browsers.record("without-the-key", eve);
            long opened = 0;
            long refused = 0;
            for (JsonNode transform : eve.path("transforms")) {
                if (transform.path("role").asText().equals("decrypt")) {
                    opened += transform.path("ok").asLong();
                    refused += transform.path("failed").asLong();
                }
            }
            assertThat(opened).as("frames eve could authenticate: " + eve.path("transforms")).isZero();
            assertThat(refused).as("frames eve could not authenticate").isGreaterThan(100);
            // Each camera brought eve 150+ packets (dozens of frames, which the pages with the key
            // decode); of ciphertext behind a clear VP8 header, Chromium's decoder makes at most a few
            // (garbage) frames: 0-2 measured.
            for (JsonNode inbound : eve.path("inbound")) {
                if (inbound.path("kind").asText().equals("video")) {
                    assertThat(inbound.path("framesDecoded").asLong()).as("eve decoded " + inbound).isLessThanOrEqualTo(5);
                }
            }
        }
    }

    /** For each page: every other page's camera and microphone. */
    static Map<String, ArrayNode> expectEachOther(Map<String, String> ids) {
        Map<String, ArrayNode> expect = new LinkedHashMap<>();
        for (String page : ids.keySet()) {
            ArrayNode tracks = JSON.createArrayNode();
            ids.forEach((other, participantId) -> {
                if (!other.equals(page)) {
                    tracks.add(track(participantId, "video", "camera"));
                    tracks.add(track(participantId, "audio", "microphone"));
                }
            });
            expect.put(page, tracks);
        }
        return expect;
    }

    private static ObjectNode track(String participantId, String kind, String source) {
        return JSON.createObjectNode().put("participantId", participantId).put("kind", kind).put("source", source);
    }

    /**
     * The driver waited until every expected track rose between two samples; checks that it did,
     * that each track is the participant's stream as the answer's msid says, that every page
     * encrypted and decrypted frames with no failure, and that no page saw a protocol error.
     */
    static void assertFlowing(JsonNode result, Map<String, String> ids) {
        assertThat(result.path("met").asBoolean()).as("media flowing within %s; not rising: %s", FLOWING,
                result.path("missing")).isTrue();
        JsonNode before = result.path("before");
        JsonNode after = result.path("after");
        for (String page : ids.keySet()) {
            JsonNode now = after.path(page);
            assertThat(now.path("errors")).as(page + " errors").isEmpty();
            assertThat(now.path("connectionState").asText()).as(page).isEqualTo("connected");
            for (String other : ids.keySet()) {
                if (other.equals(page)) {
                    continue;
                }
                String participantId = ids.get(other);
                JsonNode video = inbound(now, participantId, "video", "camera");
                JsonNode videoBefore = inbound(before.path(page), participantId, "video", "camera");
                assertThat(video.path("framesDecoded").asLong()).as(page + " decodes " + other + "'s camera")
                        .isGreaterThan(videoBefore.path("framesDecoded").asLong());
                assertThat(video.path("frameWidth").asInt()).as(page + " sees " + other).isPositive();
                assertThat(video.path("msid").asText()).as(page + ": msid of " + other + "'s camera")
                        .isEqualTo(participantId + " " + participantId + "-" + video.path("trackId").asText());
                JsonNode audio = inbound(now, participantId, "audio", "microphone");
                JsonNode audioBefore = inbound(before.path(page), participantId, "audio", "microphone");
                assertThat(audio.path("packetsReceived").asLong()).as(page + " receives " + other + "'s microphone")
                        .isGreaterThan(audioBefore.path("packetsReceived").asLong());
                assertThat(audio.path("totalAudioEnergy").asDouble()).as(page + " hears " + other).isPositive();
                assertThat(audio.path("msid").asText()).as(page + ": " + other + "'s audio and video in one stream")
                        .startsWith(participantId + " ");
            }
            for (JsonNode transform : now.path("transforms")) {
                assertThat(transform.path("failed").asLong()).as(page + " transform " + transform).isZero();
                assertThat(transform.path("ok").asLong()).as(page + " transform " + transform).isPositive();
            }
        }
    }

    static JsonNode inbound(JsonNode stats, String participantId, String kind, String source) {
        for (JsonNode track : stats.path("inbound")) {
            if (track.path("participantId").asText().equals(participantId) && track.path("kind").asText().equals(kind)
                    && track.path("source").asText().equals(source)) {
                return track;
            }
        }
        throw new AssertionError("no inbound " + source + " " + kind + " of " + participantId + " in " + stats);
    }

    private static double aspect(JsonNode video) {
        return video.path("frameWidth").asDouble() / video.path("frameHeight").asDouble(1);
    }

    /** Whether the page receives camera packets of each of {@code participants}, at least {@code packets} each. */
    private static boolean receivedVideoOf(JsonNode stats, List<String> participants, long packets) {
        for (String participantId : participants) {
            boolean found = false;
            for (JsonNode track : stats.path("inbound")) {
                if (track.path("participantId").asText().equals(participantId) && track.path("source").asText().equals("camera")
                        && track.path("packetsReceived").asLong() >= packets) {
                    found = true;
                }
            }
            if (!found) {
                return false;
            }
        }
        return true;
    }

    static String invite(ServiceProcess signaling, String token, String roomId, String role) {
        return given().baseUri(signaling.url()).auth().oauth2(token).contentType(ContentType.JSON)
                .body(Map.of("role", role, "maxUses", 1))
                .when().post("/api/v1/rooms/" + roomId + "/invites").then().statusCode(201).extract().path("code");
    }

    private static String redeemAsGuest(ServiceProcess signaling, String code, String name) {
        return given().baseUri(signaling.url()).contentType(ContentType.JSON).body(Map.of("displayName", name))
                .when().post("/api/v1/invites/" + code + "/redeem").then().statusCode(200).extract().path("guestToken");
    }

    static String randomKey() {
        byte[] key = new byte[16];
        new SecureRandom().nextBytes(key);
        return HexFormat.of().formatHex(key);
    }

    /** The relay's {@code parley_media_forwarded_packets_total}, summed over its series. */
    private static double forwardedPackets(ServiceProcess relay) {
        String metrics = given().baseUri(relay.url()).when().get("/q/metrics").then().statusCode(200).extract().asString();
        double total = 0;
        boolean found = false;
        for (String line : metrics.split("\n")) {
            if (line.startsWith("parley_media_forwarded_packets_total")) {
                total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                found = true;
            }
        }
        assertThat(found).as("the relay exports parley_media_forwarded_packets_total").isTrue();
        return total;
    }

    static ObjectNode command(String op) {
        return JSON.createObjectNode().put("op", op);
    }

    /**
     * {@code src/test/browser/call-driver.mjs} under Node.js: one JSON command per line in, one JSON
     * answer per line out. Installs its pinned npm packages (npm ci) on first use, and fails the test,
     * not skips it, when Node.js or Chromium is missing.
     */
    static final class Browsers implements AutoCloseable {
        private final Process process;
        private final Writer in;
        private final BlockingQueue<String> answers = new LinkedBlockingQueue<>();
        private final Path log;

        private Browsers(Process process, Path log) {
            this.process = process;
            this.log = log;
            this.in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            Thread reader = new Thread(() -> {
                try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line = out.readLine(); line != null; line = out.readLine()) {
                        answers.add(line);
                    }
                } catch (IOException e) {
                    // The process ended; call() reports it.
                }
            }, "browser-driver-stdout");
            reader.setDaemon(true);
            reader.start();
        }

        /**
         * Checks that Chromium and Node.js are there and installs the drivers' npm packages on first
         * use: a missing part fails the test, never skips it.
         */
        static void prepare(Path directory) throws Exception {
            String chromium = System.getenv().getOrDefault("PARLEY_CHROMIUM", "/usr/bin/chromium");
            if (!Files.isExecutable(Path.of(chromium))) {
                throw new AssertionError("this test needs Chromium at " + chromium + " (apt-get install -y chromium)");
            }
            run(directory, "node", "--version");
            if (!Files.isDirectory(directory.resolve("node_modules").resolve("playwright-core"))) {
                run(directory, "npm", "ci", "--no-audit", "--no-fund");
            }
        }

        static Browsers start() throws Exception {
            Path root = Path.of(System.getProperty("parley.root", "../..")).toAbsolutePath().normalize();
            Path directory = root.resolve("tests/system/src/test/browser");
            prepare(directory);
            // One folder per run: the driver's log (stderr) and the samples of each step.
            Path logs = root.resolve("tests/system/target/browser-logs").resolve("run-" + System.currentTimeMillis());
            Files.createDirectories(logs);
            Path log = logs.resolve("driver.log");
            Process process = new ProcessBuilder("node", "call-driver.mjs").directory(directory.toFile())
                    .redirectError(log.toFile()).start();
            return new Browsers(process, log);
        }

        /** Opens one page per name and joins it to the call; answers each page's participant id. */
        Map<String, String> open(ServiceProcess signaling, String roomId, String key, String onFailure,
                                 Map<String, String> tokens, String... names) throws Exception {
            return open(signaling, roomId, key, onFailure, false, tokens, Map.of(), names);
        }

        /** As {@link #open}, each page stating the region {@code regions} gives it in its offers. */
        Map<String, String> open(ServiceProcess signaling, String roomId, String key, String onFailure,
                                 Map<String, String> tokens, Map<String, String> regions, String... names) throws Exception {
            return open(signaling, roomId, key, onFailure, false, tokens, regions, names);
        }

        /** Opens pages as {@link #open}; with {@code simulcast} each camera sends three simulcast streams. */
        Map<String, String> open(ServiceProcess signaling, String roomId, String key, String onFailure, boolean simulcast,
                                 Map<String, String> tokens, String... names) throws Exception {
            return open(signaling, roomId, key, onFailure, simulcast, tokens, Map.of(), names);
        }

        private Map<String, String> open(ServiceProcess signaling, String roomId, String key, String onFailure,
                                         boolean simulcast, Map<String, String> tokens, Map<String, String> regions,
                                         String... names) throws Exception {
            ObjectNode command = command("open").put("signaling", signaling.url()).put("roomId", roomId);
            ArrayNode pages = command.putArray("pages");
            for (String name : names) {
                ObjectNode page = pages.addObject().put("name", name).put("token", tokens.get(name)).put("key", key)
                        .put("onFailure", onFailure).put("simulcast", simulcast);
                if (regions.containsKey(name)) {
                    page.put("region", regions.get(name));
                }
            }
            JsonNode answer = call(command, Duration.ofSeconds(40));
            Map<String, String> ids = new LinkedHashMap<>();
            for (String name : names) {
                JsonNode page = answer.path("pages").path(name);
                assertThat(page.path("participantId").asText()).as(name + " joined: " + page).startsWith("p-");
                ids.put(name, page.path("participantId").asText());
            }
            return ids;
        }

        /**
         * Waits (at most {@link BrowserCallIT#FLOWING}) until every expected track rises between two
         * samples and each page receives nothing else; keeps the samples as {@code <step>.json} next to
         * the driver's log.
         */
        JsonNode flowing(String step, Map<String, ArrayNode> expect) throws Exception {
            ObjectNode command = command("flowing").put("timeoutMs", FLOWING.toMillis()).put("exact", true);
            ObjectNode expected = command.putObject("expect");
            expect.forEach(expected::set);
            JsonNode result = call(command, FLOWING.plusSeconds(20));
            record(step, result);
            System.out.printf("[system] browser call, %s: every page decoding %d ms after the step%n", step,
                    result.path("waitedMs").asLong());
            return result;
        }

        void record(String step, JsonNode result) throws IOException {
            JSON.writerWithDefaultPrettyPrinter().writeValue(log.resolveSibling(step + ".json").toFile(), result);
        }

        JsonNode stats(String page) throws Exception {
            ObjectNode command = command("stats");
            command.putArray("pages").add(page);
            return call(command, Duration.ofSeconds(10)).path("stats").path(page);
        }

        void leave(String page) throws Exception {
            assertThat(call(command("leave").put("page", page), Duration.ofSeconds(20)).path("left").asText()).isEqualTo("left");
        }

        JsonNode call(ObjectNode command, Duration timeout) throws Exception {
            if (!process.isAlive()) {
                throw new AssertionError("the browser driver exited (" + process.exitValue() + "); see " + log);
            }
            in.write(JSON.writeValueAsString(command) + "\n");
            in.flush();
            String line = answers.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (line == null) {
                throw new AssertionError("the browser driver did not answer " + command.path("op").asText() + " within "
                        + timeout + "; see " + log);
            }
            JsonNode answer = JSON.readTree(line);
            if (!answer.path("ok").asBoolean()) {
                throw new AssertionError("the browser driver failed on " + command.path("op").asText() + ": "
                        + answer.path("error").asText() + "; see " + log);
            }
            return answer;
        }

        /**
         * Runs a setup command with its output in a log, never inherited: the surefire fork's stdin
         * and stdout are its channel to Maven, and npm's output there broke a run ("std/in stream
         * corrupted").
         */
        private static void run(Path directory, String... command) throws Exception {
            Path log = Files.createTempFile("browser-setup", ".log");
            Process process;
            try {
                process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
                        .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                        .start();
            } catch (IOException e) {
                throw new AssertionError("this test needs Node.js 20 and npm on the PATH: " + e.getMessage(), e);
            }
            try {
                if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
                    process.destroyForcibly();
                    throw new AssertionError(String.join(" ", command) + " failed in " + directory + ":\n"
                            + Files.readString(log));
                }
            } finally {
                Files.deleteIfExists(log);
            }
        }

        @Override
        public void close() throws Exception {
            try {
                if (process.isAlive()) {
                    in.write(JSON.writeValueAsString(command("close")) + "\n");
                    in.flush();
                    in.close();
                }
            } catch (IOException e) {
                // Already gone.
            }
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
            System.out.printf("[system] browser driver log: %s%n", log);
        }
    }
}
