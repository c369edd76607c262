package dev.parley.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.events.Topic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 8's acceptance, through the real web app that signaling serves, in headless Chromium with
 * fake devices, against the packaged services: alice (SSO) creates a meeting and joins; bob (SSO)
 * joins by its link; a guest joins by the link through the lobby. All three decode each other's
 * video and hear each other's audio, show the same security code, and get alice's chat message,
 * whose text appears nowhere in what signaling and Kafka carried, and see bob's microphone go off
 * (told end to end). The guest leaves: the code
 * changes on both other pages within a second and media goes on. Bob's MLS state is forced out of
 * sync: his page decodes nothing (frames dropped, never rendered) and recovers by rejoining.
 * The steps are scripted in {@code src/test/browser/app-driver.mjs}.
 */
@ExtendWith(RunningSystem.Extension.class)
class WebAppIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void threePeopleCallThroughTheWebApp(RunningSystem system) throws Exception {
        String secret = "the word is " + UUID.randomUUID();
        Path root = Path.of(System.getProperty("parley.root", "../..")).toAbsolutePath().normalize();
        Path logs = root.resolve("tests/system/target/browser-logs").resolve("web-app-" + System.currentTimeMillis());
        Files.createDirectories(logs);
        ObjectNode config = JSON.createObjectNode()
                .put("app", system.service("signaling").url())
                .put("screenshot", logs.resolve("call.png").toString())
                .put("chatText", secret);
        config.putArray("hosts")
                .add(JSON.createObjectNode().put("name", "alice").put("username", "alice").put("password", "alice-pw"))
                .add(JSON.createObjectNode().put("name", "bob").put("username", "bob").put("password", "bob-pw"));
        config.putObject("guest").put("name", "Gina Guest");

        Map<String, JsonNode> steps = drive(root, config, logs);

        assertThat(steps.get("meeting").path("link").asText()).contains("/join/");
        assertThat(steps).containsKey("lobby");
        assertThat(steps.get("three-way").path("ok").asBoolean()).as("every page decodes the two others").isTrue();
        JsonNode codes = steps.get("security-code").path("codes");
        assertThat(codes.get(0).asText()).isNotBlank();
        assertThat(codes).extracting(JsonNode::asText).containsOnly(codes.get(0).asText());
        assertThat(steps.get("chat").path("ok").asBoolean()).as("bob and the guest read alice's message").isTrue();
        assertThat(steps.get("mute").path("ok").asBoolean()).as("alice and the guest see bob's microphone off").isTrue();
        for (JsonNode millis : steps.get("leave").path("codeChangedMs")) {
            assertThat(millis.isNumber()).as("the code changed after the guest left").isTrue();
            assertThat(millis.asLong()).as("ms until the code changed").isLessThan(1000);
        }
        assertThat(steps.get("leave").path("same").asBoolean()).isTrue();
        assertThat(steps.get("after-leave").path("ok").asBoolean()).as("alice and bob keep decoding").isTrue();
        assertThat(steps.get("desync").path("decodedWhileDesynced").asInt()).isLessThanOrEqualTo(2);
        assertThat(steps.get("desync").path("drops").asInt()).as("frames dropped while out of sync").isPositive();
        assertThat(steps.get("recovered").path("ok").asBoolean()).as("bob decodes again after rejoining").isTrue();
        assertThat(steps.get("recovered").path("sameCode").asBoolean()).isTrue();

        assertChatNeverInClear(system, secret, root);
    }

    /** Runs the driver; every step's JSON line by its name (three-way: ok only if all pages were). */
    private static Map<String, JsonNode> drive(Path root, ObjectNode config, Path logs) throws Exception {
        Path directory = root.resolve("tests/system/src/test/browser");
        BrowserCallIT.Browsers.prepare(directory);
        Process process = new ProcessBuilder("node", "app-driver.mjs", config.toString())
                .directory(directory.toFile()).redirectError(logs.resolve("driver.log").toFile()).start();
        Map<String, JsonNode> steps = new LinkedHashMap<>();
        boolean threeWay = true;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                JsonNode step = JSON.readTree(line);
                System.out.println("[system] web app: " + line);
                if (step.path("step").asText().equals("error")) {
                    throw new AssertionError("the web app driver failed: " + step.path("error").asText()
                            + "; see " + logs.resolve("driver.log"));
                }
                if (step.path("step").asText().equals("three-way")) {
                    threeWay &= step.path("ok").asBoolean();
                    step = ((ObjectNode) step).put("ok", threeWay);
                }
                steps.put(step.path("step").asText(), step);
            }
        }
        if (!process.waitFor(4, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("the web app driver did not finish; see " + logs.resolve("driver.log"));
        }
        assertThat(steps).as("every step ran; see " + logs.resolve("driver.log")).containsKey("done");
        return steps;
    }

    /**
     * The chat text is in no record of the room stream (raw, or inside a payload's base64 data), and
     * in no line signaling logged: the message travelled as MLS ciphertext only.
     */
    private static void assertChatNeverInClear(RunningSystem system, String secret, Path root) throws IOException {
        byte[] needle = secret.getBytes(StandardCharsets.UTF_8);
        List<byte[]> records = readAll(system.broker.bootstrap(), Topic.CALLS);
        assertThat(records).as("the room stream carried the chat").isNotEmpty();
        int payloads = 0;
        for (byte[] record : records) {
            assertThat(contains(record, needle)).as("a parley.calls record holds the chat text").isFalse();
            JsonNode event = JSON.readTree(record);
            if (event.path("type").asText().equals("payload")) {
                payloads++;
                byte[] data = Base64.getDecoder().decode(event.path("data").asText());
                assertThat(contains(data, needle)).as("a payload's data holds the chat text in clear").isFalse();
            }
        }
        assertThat(payloads).as("the chat message went through the room stream").isPositive();
        for (Path log : Files.newDirectoryStream(root.resolve("tests/system/target/system-logs"), "signaling-*.log")) {
            assertThat(Files.readString(log)).as(log + " holds the chat text").doesNotContain(secret);
        }
    }

    private static List<byte[]> readAll(String bootstrap, Topic topic) {
        Map<String, Object> settings = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        List<byte[]> values = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(settings, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = IntStream.range(0, topic.partitions())
                    .mapToObj(p -> new TopicPartition(topic.topicName(), p)).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline
                    && ends.entrySet().stream().anyMatch(end -> consumer.position(end.getKey()) < end.getValue())) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    values.add(record.value());
                }
            }
        }
        return values;
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
