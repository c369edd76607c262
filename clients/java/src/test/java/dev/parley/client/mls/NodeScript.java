package dev.parley.client.mls;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A Node.js script under src/test/node, driven by JSON lines over stdin/stdout. Installs the pinned
 * npm packages (npm ci) on first use, and fails the test, not skips it, when Node.js is missing.
 */
final class NodeScript implements AutoCloseable {
    static final Path DIRECTORY = Path.of("src", "test", "node").toAbsolutePath();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final Writer in;
    private final BufferedReader out;

    private NodeScript(Process process) {
        this.process = process;
        this.in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    static NodeScript start(String script) throws Exception {
        installPackages();
        return new NodeScript(new ProcessBuilder("node", script).directory(DIRECTORY.toFile())
            .redirectError(ProcessBuilder.Redirect.INHERIT).start());
    }

    /** Sends one command and returns the answer; fails the test when the script reports an error. */
    JsonNode call(Map<String, ?> command) throws IOException {
        in.write(JSON.writeValueAsString(command) + "\n");
        in.flush();
        String line = out.readLine();
        if (line == null) {
            throw new AssertionError("the Node.js script ended without answering " + command.get("op"));
        }
        JsonNode answer = JSON.readTree(line);
        if (!answer.path("ok").asBoolean()) {
            throw new AssertionError("the Node.js script failed on " + command.get("op") + ": " + answer.path("error").asText());
        }
        return answer;
    }

    private static synchronized void installPackages() throws Exception {
        run("node", "--version");
        if (!Files.isDirectory(DIRECTORY.resolve("node_modules").resolve("ts-mls"))) {
            run("npm", "ci", "--no-audit", "--no-fund");
        }
    }

    private static void run(String... command) throws Exception {
        Process process;
        try {
            process = new ProcessBuilder(command).directory(DIRECTORY.toFile()).inheritIO().start();
        } catch (IOException e) {
            throw new AssertionError("these tests need Node.js 20 and npm on the PATH: " + e.getMessage(), e);
        }
        if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " failed in " + DIRECTORY);
        }
    }

    @Override
    public void close() throws Exception {
        in.close();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
