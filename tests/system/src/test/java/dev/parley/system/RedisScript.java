package dev.parley.system;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * Runs Lua scripts on one Redis database, speaking the RESP protocol directly: the system tests
 * need a handful of commands, not a client library.
 */
final class RedisScript {

    private final String host;
    private final int port;
    private final int database;

    RedisScript(String redisUrl, int database) {
        URI uri = URI.create(redisUrl);
        this.host = uri.getHost();
        this.port = uri.getPort() < 0 ? 6379 : uri.getPort();
        this.database = database;
    }

    /** Runs {@code script} with {@code args} as ARGV and returns Redis' reply line. */
    String eval(String script, String... args) throws IOException {
        try (Socket socket = new Socket(host, port)) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            InputStream in = new BufferedInputStream(socket.getInputStream());
            send(out, "SELECT", Integer.toString(database));
            expectOk(readLine(in));
            String[] command = new String[3 + args.length];
            command[0] = "EVAL";
            command[1] = script;
            command[2] = "0";
            System.arraycopy(args, 0, command, 3, args.length);
            send(out, command);
            String reply = readLine(in);
            if (reply.startsWith("-")) {
                throw new IOException("Redis refused the script: " + reply);
            }
            return reply;
        }
    }

    /** Deletes every key matching any of {@code patterns}, as losing Redis would; returns how many. */
    long forget(String... patterns) throws IOException {
        String reply = eval("""
                local n = 0
                for _, pattern in ipairs(ARGV) do
                  for _, key in ipairs(redis.call('KEYS', pattern)) do
                    redis.call('DEL', key); n = n + 1
                  end
                end
                return n""", patterns);
        return Long.parseLong(reply.substring(1));
    }

    private static void send(OutputStream out, String... parts) throws IOException {
        StringBuilder command = new StringBuilder("*").append(parts.length).append("\r\n");
        for (String part : parts) {
            command.append('$').append(part.getBytes(StandardCharsets.UTF_8).length).append("\r\n")
                    .append(part).append("\r\n");
        }
        out.write(command.toString().getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) != -1 && c != '\n') {
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }

    private static void expectOk(String reply) throws IOException {
        if (!reply.equals("+OK")) {
            throw new IOException("Redis answered " + reply);
        }
    }
}
