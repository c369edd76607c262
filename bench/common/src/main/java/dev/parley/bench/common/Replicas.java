package dev.parley.bench.common;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The replicas of one service a bench runs against: its packaged
 * {@code services/<service>/target/quarkus-app/quarkus-run.jar}, each a JVM of its own configured
 * only through environment variables as in a deployment (the way the system tests'
 * {@code ServiceProcess} starts it), logging to {@code bench/<service>/target/replica-logs/}.
 * They are stopped on {@link #close()} and also when the bench is interrupted (Ctrl-C), so none
 * outlives the bench.
 */
public final class Replicas implements AutoCloseable {

    private static final Duration READY_WITHIN = Duration.ofSeconds(90);

    private final String service;
    private final RunOptions options;
    private final Map<String, String> environment;
    private final Path logs;
    private final List<Replica> running = new CopyOnWriteArrayList<>();
    private final Thread stopOnExit = new Thread(this::stopAll, "stop-replicas");
    private int launches;

    /** Nothing runs yet; {@code environment} is every replica's, on top of the bench JVM's own. */
    Replicas(String service, RunOptions options, Map<String, String> environment) {
        this.service = service;
        this.options = options;
        this.environment = Map.copyOf(environment);
        this.logs = options.repository().resolve("bench/" + service + "/target/replica-logs");
        Runtime.getRuntime().addShutdownHook(stopOnExit);
    }

    /**
     * Starts {@code --replicas} replicas on {@code --base-port}, the next port, … (a free port
     * where one is taken), then waits until every one is ready.
     */
    public void start() throws IOException, InterruptedException {
        for (int i = 0; i < options.replicas(); i++) {
            running.add(launch(i, options.basePort() + i));
        }
        for (Replica replica : running) {
            replica.awaitReady(READY_WITHIN);
        }
    }

    /** The running replicas by index; a live view, so it shows a {@link #restart restarted} one. */
    public List<Replica> all() {
        return Collections.unmodifiableList(running);
    }

    /** Stops replica {@code index} and starts a fresh one on its port: nothing left of what it went through. */
    public void restart(int index) throws IOException, InterruptedException {
        Replica old = running.get(index);
        old.stop();
        Replica fresh = launch(index, old.port());
        running.set(index, fresh);
        fresh.awaitReady(READY_WITHIN);
    }

    /**
     * Starts one more replica (index and port after the last), for a phase that compares one
     * replica with more; waits until it is ready and returns it.
     */
    public Replica add() throws IOException, InterruptedException {
        int index = running.size();
        Replica added = launch(index, options.basePort() + index);
        running.add(added);
        added.awaitReady(READY_WITHIN);
        return added;
    }

    /** Stops the last replica and forgets it: what {@link #add()} started, once its phase is over. */
    public void removeLast() {
        Replica last = running.remove(running.size() - 1);
        last.stop();
    }

    @Override
    public void close() {
        stopAll();
        Runtime.getRuntime().removeShutdownHook(stopOnExit);
    }

    private void stopAll() {
        running.forEach(Replica::stop);
    }

    /**
     * Starts replica {@code index} on {@code port}, or on a free port when that one is taken. Its
     * HTTP server listens on every address, as the service does by default, so clients can reach
     * it on 127.0.0.1, 127.0.0.2, …
     */
    private Replica launch(int index, int port) throws IOException {
        Path jar = options.buildRoot().resolve("services/" + service + "/target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build first (mvn -B -DskipTests install)");
        }
        int chosen = isFree(port) ? port : freePort();
        Files.createDirectories(logs);
        // One log per launch: a restarted replica does not overwrite the story of the first.
        Path log = logs.resolve(service + "-" + index + "-launch" + (++launches) + ".log");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of("-Xmx" + options.replicaHeap(), "-XX:+UseG1GC", "-jar", jar.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        builder.environment().put("QUARKUS_HTTP_PORT", Integer.toString(chosen));
        builder.environment().put("QUARKUS_HTTP_HOST", "0.0.0.0");
        return new Replica(service, index, chosen, log, builder.start());
    }

    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress("0.0.0.0", port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
