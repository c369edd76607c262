package dev.parley.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs tests/deploy/validator/validate.mjs (kubernetes-models) under Node.js. Installs its npm
 * packages from the committed package-lock.json (npm ci) when node_modules is missing, and fails,
 * never skips, when Node.js or npm is missing.
 */
final class NodeValidator {

    static final Path FOLDER = HelmChart.ROOT.resolve("tests/deploy/validator");

    record Result(int exitCode, String output) {
    }

    private NodeValidator() {
    }

    static synchronized Result validate(List<Path> files) {
        if (!Files.isDirectory(FOLDER.resolve("node_modules/kubernetes-models"))) {
            Result install = run(List.of("npm", "ci", "--no-audit", "--no-fund"), 300);
            if (install.exitCode() != 0) {
                throw new AssertionError("npm ci in " + FOLDER + " failed:\n" + install.output());
            }
        }
        List<String> command = new ArrayList<>(List.of("node", "validate.mjs"));
        files.forEach(f -> command.add(f.toAbsolutePath().toString()));
        return run(command, 120);
    }

    private static Result run(List<String> command, int timeoutSeconds) {
        try {
            Process process = new ProcessBuilder(command).directory(FOLDER.toFile()).redirectErrorStream(true).start();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish in " + timeoutSeconds + " s");
            }
            return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AssertionError("these tests need Node.js 20 and npm on the PATH: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
