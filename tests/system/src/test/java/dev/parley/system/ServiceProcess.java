package dev.parley.system;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One packaged Parley service running as its own JVM, as in production: configured only through
 * environment variables, logging JSON to a file under {@code target/system-logs}.
 */
final class ServiceProcess implements AutoCloseable {

    private static final AtomicInteger LAUNCHES = new AtomicInteger();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final int httpPort;
    private final Path log;
    private final Process process;

    private ServiceProcess(String name, int httpPort, Path log, Process process) {
        this.name = name;
        this.httpPort = httpPort;
        this.log = log;
        this.process = process;
    }

    /** Starts {@code services/<name>/target/quarkus-app/quarkus-run.jar} with {@code environment}. */
    static ServiceProcess start(Path repository, String name, Map<String, String> environment) throws IOException {
        return start(repository, name, environment, freePort());
    }

    /** The same, with its HTTP port on {@code port}. */
    static ServiceProcess start(Path repository, String name, Map<String, String> environment, int port)
            throws IOException {
        Path jar = repository.resolve("services").resolve(name).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: package the services first (mvn package)");
        }
        Path logs = repository.resolve("tests/system/target/system-logs");
        Files.createDirectories(logs);
        // One log per launch, so a restarted service does not overwrite the story of the first.
        String launch = name + "-" + LAUNCHES.incrementAndGet();
        Path log = logs.resolve(launch + ".log");
        // Its pauses beside it: a test that is slow on a loaded machine tells whether the service collected.
        // One file, rewritten at each launch (no rotation: a rerun's files would otherwise pile up as .0, .1, …).
        Path gcLog = logs.resolve(launch + "-gc.log");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xlog:gc:file=" + gcLog + ":uptime,level,tags:filecount=0",
                "-jar", jar.toString()));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        builder.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
        builder.environment().put("QUARKUS_HTTP_HOST", "127.0.0.1");
        return new ServiceProcess(name, port, log, builder.start());
    }

    String name() {
        return name;
    }

    int port() {
        return httpPort;
    }

    /** The base URL of the service's HTTP port, without a trailing slash. */
    String url() {
        return "http://127.0.0.1:" + httpPort;
    }

    Path log() {
        return log;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** The HTTP status of {@code /q/health/ready}: 200 when UP, 503 when DOWN, -1 when unreachable. */
    int readiness() {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(url() + "/q/health/ready"))
                    .timeout(Duration.ofSeconds(8)).GET().build();
            return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** Kills the process without letting it shut down (SIGKILL), as a crashed node would. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
