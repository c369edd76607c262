package dev.parley.bench.keydistribution;

import dev.parley.events.Topic;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The bench replicas' Redis database (never database 0): emptied before and after the run, so
 * their devices, KeyPackages, rosters and groups are the bench's alone.
 *
 * <p>The group log ({@code parley.groups}) is one topic for every key-distribution service on the
 * broker: its name is not configurable. A replica on an empty database would start applying it
 * from the beginning of what the broker keeps (a day of the tests' and {@code make run}'s records)
 * before it answers the bench's first request. So the bench writes the replicas' progress
 * ({@code parley:kd:log-positions}, where the replicas' RedisPositions keep it) as the log's current end:
 * they follow only what is appended from now on. The records other services append meanwhile
 * are still applied (to rooms the bench never uses), and theirs apply the bench's.
 */
final class BenchDatabase implements AutoCloseable {

    /** {@code GroupStore}'s hash of partition to next offset to apply. */
    private static final String LOG_POSITIONS = "parley:kd:log-positions";

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    /** {@code redis://host:port/db}, db > 0. */
    BenchDatabase(String url) {
        URI uri = URI.create(url);
        String path = uri.getPath() == null ? "" : uri.getPath().replace("/", "");
        if (path.isEmpty() || Integer.parseInt(path) == 0) {
            throw new IllegalArgumentException("the bench needs a database of its own (redis://host:port/<n>, n > 0): " + url);
        }
        try {
            this.socket = new Socket(uri.getHost(), uri.getPort() < 0 ? 6379 : uri.getPort());
            this.in = new BufferedInputStream(socket.getInputStream());
            this.out = socket.getOutputStream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        call("SELECT", path);
    }

    /** FLUSHDB: only the selected (the bench's) database. */
    void empty() {
        call("FLUSHDB");
    }

    /** Notes every partition of the group log as applied up to its current end; returns the ends. */
    Map<Integer, Long> startAtEndOfGroupLog(String bootstrap) throws Exception {
        Map<Integer, Long> ends = new TreeMap<>();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (int p = 0; p < Topic.GROUPS.partitions(); p++) {
                latest.put(new TopicPartition(Topic.GROUPS.topicName(), p), OffsetSpec.latest());
            }
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> found =
                    admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS);
            found.forEach((partition, info) -> ends.put(partition.partition(), info.offset()));
        }
        ends.forEach((partition, end) -> call("HSET", LOG_POSITIONS, Integer.toString(partition), Long.toString(end)));
        call("PEXPIRE", LOG_POSITIONS, Long.toString(Duration.ofDays(1).toMillis()));
        return ends;
    }

    private synchronized Object call(String... args) {
        try {
            ByteArrayOutputStream request = new ByteArrayOutputStream();
            request.write(("*" + args.length + "\r\n").getBytes(StandardCharsets.UTF_8));
            for (String arg : args) {
                byte[] bytes = arg.getBytes(StandardCharsets.UTF_8);
                request.write(("$" + bytes.length + "\r\n").getBytes(StandardCharsets.UTF_8));
                request.write(bytes);
                request.write("\r\n".getBytes(StandardCharsets.UTF_8));
            }
            out.write(request.toByteArray());
            out.flush();
            return reply();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The simple replies the commands above get: status, error, integer. */
    private Object reply() throws IOException {
        int kind = in.read();
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c != '\r'; c = in.read()) {
            if (c < 0) {
                throw new IOException("Redis closed the connection");
            }
            line.append((char) c);
        }
        in.read();
        return switch (kind) {
            case '+' -> line.toString();
            case ':' -> Long.parseLong(line.toString());
            case '-' -> throw new IllegalStateException("Redis: " + line);
            default -> throw new IllegalStateException("Redis: unexpected reply type " + (char) kind);
        };
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
