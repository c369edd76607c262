package dev.parley.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A Node driver of the real web app in headless Chromium ({@code src/test/browser/app-*.mjs}), run
 * as a process: it prints one JSON step per stdout line ({@code {step, ok, ...}}), which the test
 * takes one by one as they come ({@link #step}), and reads a line on stdin where the test must act
 * in the middle of a scenario ({@link #send}), such as killing a relay at a known moment. Its log
 * (stderr) goes to {@code driver.log} in the run's folder under {@code target/browser-logs}.
 */
final class AppDriver implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNode END = JSON.createObjectNode().put("step", "<end of output>");

    private final Process process;
    private final Path log;
    private final BlockingQueue<JsonNode> steps = new LinkedBlockingQueue<>();

    private AppDriver(Process process, Path log) {
        this.process = process;
        this.log = log;
        Thread reader = new Thread(this::read, "app-driver-stdout");
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts {@code node script '<config>'}; its log goes to a new folder named after {@code run}. */
    static AppDriver start(String script, ObjectNode config, String run) throws Exception {
        Path root = Path.of(System.getProperty("parley.root", "../..")).toAbsolutePath().normalize();
        Path directory = root.resolve("tests/system/src/test/browser");
        BrowserCallIT.Browsers.prepare(directory);
        Path logs = root.resolve("tests/system/target/browser-logs").resolve(run + "-" + System.currentTimeMillis());
        Files.createDirectories(logs);
        Path log = logs.resolve("driver.log");
        Process process = new ProcessBuilder("node", script, config.toString()).directory(directory.toFile())
                .redirectError(log.toFile()).start();
        return new AppDriver(process, log);
    }

    private void read() {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                System.out.println("[system] web app: " + line);
                steps.add(JSON.readTree(line));
            }
        } catch (IOException e) {
            // the process ended; END below tells the waiting test
        }
        steps.add(END);
    }

    /**
     * The next step the driver reports, which must be {@code name} and {@code ok}, within
     * {@code timeout}; a driver error, another step or silence fails the test with the log's path.
     */
    JsonNode step(String name, Duration timeout) throws InterruptedException {
        JsonNode step = steps.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (step == null) {
            throw new AssertionError("the web app driver reported no '" + name + "' within " + timeout + "; see " + log);
        }
        if (!step.path("step").asText().equals(name)) {
            throw new AssertionError("the web app driver reported " + step + " where '" + name + "' was due; see " + log);
        }
        if (!step.path("ok").asBoolean()) {
            throw new AssertionError("the web app driver's step '" + name + "' failed: " + step + "; see " + log);
        }
        return step;
    }

    /** One line on the driver's stdin. */
    void send(String line) throws IOException {
        OutputStream in = process.getOutputStream();
        in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    Path log() {
        return log;
    }

    /** Waits for the driver to close its browser and exit (it does after its last step), else kills it. */
    @Override
    public void close() throws InterruptedException {
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            // already gone
        }
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
