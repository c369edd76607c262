package dev.parley.system;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A Kafka broker of the system tests' own, started and stopped with the project's script
 * ({@code dev/stack.sh}), separate from the main local broker so that stopping it disturbs no
 * other test.
 */
final class KafkaBroker {

    private final Path repository;
    private final String instance;
    private final int port;
    private final int controllerPort;

    KafkaBroker(Path repository, String instance, int port, int controllerPort) {
        this.repository = repository;
        this.instance = instance;
        this.port = port;
        this.controllerPort = controllerPort;
    }

    String bootstrap() {
        return "127.0.0.1:" + port;
    }

    /** Starts the broker (formatting its storage the first time) and creates Parley's topics. */
    void start() throws IOException, InterruptedException {
        stack("up");
    }

    /** Stops the broker process and waits until it has exited. */
    void stop() throws IOException, InterruptedException {
        stack("down");
    }

    private void stack(String action) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder("bash", repository.resolve("dev/stack.sh").toString(), action, "kafka")
                .redirectErrorStream(true);
        builder.environment().put("PARLEY_KAFKA_INSTANCE", instance);
        builder.environment().put("KAFKA_PORT", Integer.toString(port));
        builder.environment().put("KAFKA_CONTROLLER_PORT", Integer.toString(controllerPort));
        Process process = builder.start();
        if (!process.waitFor(Duration.ofSeconds(120).toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("dev/stack.sh " + action + " kafka did not finish in 120 s");
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.exitValue() != 0) {
            throw new IllegalStateException("dev/stack.sh " + action + " kafka failed:\n" + output);
        }
    }
}
