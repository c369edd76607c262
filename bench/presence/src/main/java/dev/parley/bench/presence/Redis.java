package dev.parley.bench.presence;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The few Redis commands the bench needs (RESP over a plain socket), on the bench's own database
 * only: it selects that database first and never touches another.
 */
final class Redis implements AutoCloseable {

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    final int database;

    /** {@code redis://host:port/db}. */
    Redis(String url) {
        URI uri = URI.create(url);
        String path = uri.getPath() == null ? "" : uri.getPath().replace("/", "");
        if (path.isEmpty() || Integer.parseInt(path) == 0) {
            throw new IllegalArgumentException("the bench needs a database of its own (redis://host:port/<n>, n > 0): " + url);
        }
        this.database = Integer.parseInt(path);
        try {
            this.socket = new Socket(uri.getHost(), uri.getPort() < 0 ? 6379 : uri.getPort());
            this.in = new BufferedInputStream(socket.getInputStream());
            this.out = socket.getOutputStream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        call("SELECT", Integer.toString(database));
    }

    /** Empties the bench's database (FLUSHDB: only the selected one). */
    void flushOwnDatabase() {
        call("FLUSHDB");
    }

    long dbSize() {
        return (Long) call("DBSIZE");
    }

    /** {@code used_memory} from {@code INFO memory}: the whole server's, in bytes. */
    long usedMemory() {
        for (String line : ((String) call("INFO", "memory")).split("\r\n")) {
            if (line.startsWith("used_memory:")) {
                return Long.parseLong(line.substring("used_memory:".length()).trim());
            }
        }
        throw new IllegalStateException("INFO memory has no used_memory");
    }

    /** {@code MEMORY USAGE key SAMPLES 0}: bytes of one key, 0 when absent. */
    long memoryUsage(String key) {
        Object answer = call("MEMORY", "USAGE", key, "SAMPLES", "0");
        return answer == null ? 0 : (Long) answer;
    }

    void setWithExpiry(String key, String value, long millis) {
        call("SET", key, value, "PX", Long.toString(millis));
    }

    synchronized Object call(String... args) {
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
            return read();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Object read() throws IOException {
        int kind = in.read();
        String line = line();
        switch (kind) {
            case '+':
                return line;
            case '-':
                throw new IllegalStateException("Redis: " + line);
            case ':':
                return Long.parseLong(line);
            case '$': {
                int length = Integer.parseInt(line);
                if (length < 0) {
                    return null;
                }
                byte[] bytes = in.readNBytes(length + 2);
                return new String(bytes, 0, length, StandardCharsets.UTF_8);
            }
            case '*': {
                int count = Integer.parseInt(line);
                if (count < 0) {
                    return null;
                }
                List<Object> items = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    items.add(read());
                }
                return items;
            }
            default:
                throw new IllegalStateException("Redis: unexpected reply type " + (char) kind);
        }
    }

    private String line() throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) != '\r') {
            if (c < 0) {
                throw new IOException("Redis closed the connection");
            }
            line.append((char) c);
        }
        in.read();
        return line.toString();
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
