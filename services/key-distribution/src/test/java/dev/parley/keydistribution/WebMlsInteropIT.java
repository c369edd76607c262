package dev.parley.keydistribution;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.client.kd.CallKeys;
import dev.parley.client.mls.SFrameKeys;
import dev.parley.client.mls.SecurityCode;
import dev.parley.events.call.ParticipantId;
import dev.parley.events.identity.UserId;
import dev.parley.events.room.RoomId;
import dev.parley.testing.DemoUser;
import dev.parley.testing.Keycloak;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The web client's MLS code (clients/web/src/mls: ts-mls 1.6.4 with Parley's external_senders
 * patch) in one call group with the Java client (bcmls), through the real service, Kafka, Redis
 * and Keycloak. Three web members and one Java member join (the first web member creates the
 * group); all reach the same epoch with the same SFrame base key and security code; a web member's
 * chat message decrypts at another; a web member leaves (the service's external Remove) and the
 * rest move on to a new epoch it cannot derive; a web member forced out of sync cannot read the
 * group's messages and recovers by rejoining.
 *
 * <p>The web members run in Node.js ({@code clients/web/test/interop/kd-member.ts}, built with Vite
 * so the patch applies). Needs node and npm on the PATH; installs clients/web's packages with
 * {@code npm ci} when they are missing.
 */
@QuarkusTest
class WebMlsInteropIT {

    private static final Path WEB = Path.of("..", "..", "clients", "web").toAbsolutePath().normalize();
    private static final Duration PATIENCE = Duration.ofSeconds(15);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TestHTTPResource("/")
    URI base;

    private CallFixture calls;
    private Web web;
    private CallKeys java;

    @BeforeEach
    void open() throws Exception {
        calls = new CallFixture(base);
        web = Web.start();
    }

    @AfterEach
    void close() throws Exception {
        if (java != null) {
            java.close();
        }
        if (web != null) {
            web.close();
        }
        calls.close();
    }

    @Test
    void webAndJavaMembersShareACallGroupThroughTheService() throws Exception {
        RoomId room = CallFixture.newRoom();
        String url = base.toString();

        // alice (web) is first: the service says "create" and her browser makes the group.
        ParticipantId alice = webJoinsCall(room, "alice", DemoUser.ALICE, url);
        JsonNode aliceJoined = web.call("join", "alice", Map.of("roomId", room.value(), "participantId", alice.value()));
        assertThat(aliceJoined.get("epoch").asLong()).isZero();

        // bob (Java, bcmls) joins by the service's external Add, committed by alice's ts-mls.
        CallFixture.RegisteredDevice bobDevice = calls.device(calls.person(DemoUser.BOB));
        ParticipantId bob = calls.join(room, bobDevice.person().userId());
        java = CallKeys.join(bobDevice.person().client(), bobDevice.keys(), bobDevice.device(), room.value(), bob.value(), 3);

        // carol and dave (web) join too, concurrently: their Welcomes come from whoever commits.
        ParticipantId carol = webJoinsCall(room, "carol", DemoUser.CAROL, url);
        ParticipantId dave = webJoinsCall(room, "dave", DemoUser.DAVE, url);
        CompletableFuture<JsonNode> carolJoined = web.callAsync("join", "carol", Map.of("roomId", room.value(), "participantId", carol.value()));
        CompletableFuture<JsonNode> daveJoined = web.callAsync("join", "dave", Map.of("roomId", room.value(), "participantId", dave.value()));
        carolJoined.get(30, TimeUnit.SECONDS);
        daveJoined.get(30, TimeUnit.SECONDS);

        java.await(() -> java.joined() && java.leaves().size() == 4, PATIENCE);
        long epoch = java.epoch();
        Map<String, JsonNode> states = awaitWeb(List.of("alice", "carol", "dave"), epoch, 4);
        java.await(() -> java.epoch() == epoch, PATIENCE);
        byte[] baseKey = java.exporter(SFrameKeys.EXPORTER_LABEL, SFrameKeys.KEY_LENGTH);
        String code = SecurityCode.of(java.member());
        for (JsonNode state : states.values()) {
            assertThat(state.get("epoch").asLong()).isEqualTo(epoch);
            assertThat(decode(state.get("exporter"))).isEqualTo(baseKey);
            assertThat(decode(state.get("epochAuthenticator"))).isEqualTo(java.member().epochAuthenticator());
            assertThat(state.get("code").asText()).isEqualTo(code);
            assertThat(state.get("leafCount").asInt()).isEqualTo(4);
        }
        assertThat(states.values().stream().map(s -> s.get("emoji").asText()).distinct()).hasSize(1);
        // The web members read everyone's identity from the verified credentials, bob's (bcmls) included.
        assertThat(states.get("carol").get("members").findValuesAsText("userId"))
                .contains(bobDevice.person().userId().value(), userOf("alice").value(), userOf("dave").value());

        // Chat: an MLS application message from alice's browser decrypts in carol's.
        String sealed = web.call("encrypt", "alice", Map.of("text", "hello from alice")).get("message").asText();
        assertThat(new String(Base64.getDecoder().decode(sealed), StandardCharsets.UTF_8)).doesNotContain("hello from alice");
        assertThat(web.call("decrypt", "carol", Map.of("message", sealed)).get("text").asText()).isEqualTo("hello from alice");

        // carol leaves the call: the service proposes her Remove, a member commits it, the rest move on.
        calls.leave(room, carol, userOf("carol"));
        JsonNode carolLast = web.call("leave", "carol", Map.of());
        java.await(() -> java.epoch() > epoch && java.leaves().size() == 3, PATIENCE);
        long afterLeave = java.epoch();
        Map<String, JsonNode> after = awaitWeb(List.of("alice", "dave"), afterLeave, 3);
        byte[] nextKey = java.exporter(SFrameKeys.EXPORTER_LABEL, SFrameKeys.KEY_LENGTH);
        for (JsonNode state : after.values()) {
            assertThat(state.get("epoch").asLong()).isEqualTo(afterLeave);
            assertThat(decode(state.get("exporter"))).isEqualTo(nextKey);
            assertThat(state.get("code").asText()).isEqualTo(SecurityCode.of(java.member())).isNotEqualTo(code);
        }
        assertThat(decode(carolLast.get("exporter"))).isEqualTo(baseKey).isNotEqualTo(nextKey);

        // dave's state is forced out of sync: his keys differ and alice's chat does not decrypt for him.
        JsonNode desynced = web.call("desync", "dave", Map.of());
        assertThat(decode(desynced.get("exporter"))).isNotEqualTo(nextKey);
        String secret = web.call("encrypt", "alice", Map.of("text", "can dave read this?")).get("message").asText();
        assertThat(web.callAsync("decrypt", "dave", Map.of("message", secret, "timeoutMs", 1000))
                .handle((ok, failure) -> failure).get(10, TimeUnit.SECONDS)).isNotNull();
        // He rejoins as the same participant: the service replaces his leaf and everyone meets again.
        web.call("rejoin", "dave", Map.of());
        java.await(() -> java.epoch() > afterLeave && java.leaves().size() == 3, PATIENCE);
        long afterRejoin = java.epoch();
        Map<String, JsonNode> healed = awaitWeb(List.of("alice", "dave"), afterRejoin, 3);
        byte[] healedKey = java.exporter(SFrameKeys.EXPORTER_LABEL, SFrameKeys.KEY_LENGTH);
        for (JsonNode state : healed.values()) {
            assertThat(decode(state.get("exporter"))).isEqualTo(healedKey);
        }
        String again = web.call("encrypt", "alice", Map.of("text", "welcome back")).get("message").asText();
        assertThat(web.call("decrypt", "dave", Map.of("message", again)).get("text").asText()).isEqualTo("welcome back");
        // alice's ts-mls committed at least bob's Add (she was the only member: a Commit and a Welcome
        // the service and bcmls accepted). The later changes go to whoever commits first: alice, at the
        // lowest leaf, at once, the others 150 ms x their rank later, so on a busy machine another
        // member may take one; the groups' agreement above is what must hold whoever committed.
        assertThat(web.call("state", "alice", Map.of()).get("stats").get("commitsAccepted").asInt()).isGreaterThanOrEqualTo(1);
    }

    private final Map<String, UserId> users = new HashMap<>();

    private UserId userOf(String member) {
        return users.get(member);
    }

    /** Signaling reports the member in the call; its browser opens a device with its own token. */
    private ParticipantId webJoinsCall(RoomId room, String member, DemoUser user, String url) throws Exception {
        String token = Keycloak.accessToken(user);
        UserId userId = new UserId(Keycloak.subject(token));
        users.put(member, userId);
        web.call("open", member, Map.of("urls", List.of(url), "token", token));
        return calls.join(room, userId);
    }

    private Map<String, JsonNode> awaitWeb(List<String> members, long epoch, int leaves) throws Exception {
        Map<String, JsonNode> states = new LinkedHashMap<>();
        for (String member : members) {
            states.put(member, web.call("await", member, Map.of("epoch", epoch, "leaves", leaves, "timeoutMs", PATIENCE.toMillis())));
        }
        return states;
    }

    private static byte[] decode(JsonNode text) {
        return Base64.getDecoder().decode(text.asText());
    }

    /** The Node.js process of the web members: JSON lines, answered by id, commands run concurrently. */
    private static final class Web implements AutoCloseable {
        private final Process process;
        private final Writer in;
        private final Map<Long, CompletableFuture<JsonNode>> waiting = new ConcurrentHashMap<>();
        private final AtomicLong ids = new AtomicLong();

        private Web(Process process) {
            this.process = process;
            this.in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            Thread reader = new Thread(this::read, "web-members");
            reader.setDaemon(true);
            reader.start();
        }

        static Web start() throws Exception {
            run("node", "--version");
            if (!Files.isDirectory(WEB.resolve("node_modules").resolve("ts-mls"))) {
                run("npm", "ci", "--no-audit", "--no-fund");
            }
            run("npx", "vite", "build", "--config", "test/interop/vite.config.mjs");
            return new Web(new ProcessBuilder("node", "test/interop/dist/kd-member.mjs").directory(WEB.toFile())
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start());
        }

        JsonNode call(String op, String member, Map<String, ?> args) throws Exception {
            return callAsync(op, member, args).get(60, TimeUnit.SECONDS);
        }

        CompletableFuture<JsonNode> callAsync(String op, String member, Map<String, ?> args) throws IOException {
            long id = ids.incrementAndGet();
            CompletableFuture<JsonNode> answer = new CompletableFuture<>();
            waiting.put(id, answer);
            Map<String, Object> command = new HashMap<>(args);
            command.put("id", id);
            command.put("op", op);
            command.put("member", member);
            synchronized (in) {
                in.write(JSON.writeValueAsString(command) + "\n");
                in.flush();
            }
            return answer.thenApply(node -> {
                if (!node.path("ok").asBoolean()) {
                    throw new AssertionError("web member " + member + " failed on " + op + ": " + node.path("error").asText());
                }
                return node;
            });
        }

        private void read() {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    JsonNode node = JSON.readTree(line);
                    CompletableFuture<JsonNode> answer = waiting.remove(node.path("id").asLong());
                    if (answer != null) {
                        answer.complete(node);
                    }
                }
            } catch (IOException e) {
                // The process ended; whoever waits fails below.
            }
            waiting.values().forEach(f -> f.completeExceptionally(new AssertionError("the web members' Node.js process ended")));
        }

        private static void run(String... command) throws Exception {
            // Not inheritIO: the surefire fork's stdin and stdout are its channel to Maven.
            Path log = Files.createTempFile("web-mls-interop", ".log");
            Process process;
            try {
                process = new ProcessBuilder(command).directory(WEB.toFile()).redirectErrorStream(true)
                        .redirectOutput(log.toFile()).start();
            } catch (IOException e) {
                throw new AssertionError("this test needs Node.js 20 and npm on the PATH: " + e.getMessage(), e);
            }
            process.getOutputStream().close();
            if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " failed in " + WEB + ":\n" + Files.readString(log));
            }
            Files.deleteIfExists(log);
        }

        @Override
        public void close() throws Exception {
            in.close();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
