package dev.parley.client.kd;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.client.mls.DeviceKeys;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The key-distribution service's HTTP API, for one signed-in person (an SSO access token or a
 * guest token): device registration, KeyPackages, and the Delivery Service of call groups.
 *
 * <p>Given several replicas, it talks to one and moves to the next when a connection fails. A
 * read is then retried; a write is not (the service may have logged it before the connection
 * broke), and the caller learns of it as an {@link UncheckedIOException}.
 */
public final class KeyDistributionClient {

    /** What a device signs to prove it holds its key: this label, then the raw public key. */
    private static final byte[] PROOF_LABEL = "parley-device-registration-v1:".getBytes(StandardCharsets.UTF_8);

    private final HttpClient http;
    private final List<URI> replicas;
    private volatile int current;
    private final Supplier<String> token;
    private final ObjectMapper json = new ObjectMapper();

    public KeyDistributionClient(HttpClient http, URI base, Supplier<String> token) {
        this(http, List.of(base), token);
    }

    public KeyDistributionClient(HttpClient http, List<URI> replicas, Supplier<String> token) {
        if (replicas.isEmpty()) {
            throw new IllegalArgumentException("no replica to talk to");
        }
        this.http = http;
        this.replicas = List.copyOf(replicas);
        this.token = token;
    }

    public static String encode(byte[] value) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(value);
    }

    public static byte[] decode(String value) {
        return Base64.getUrlDecoder().decode(value);
    }

    public Wire.Authority authority() {
        return call("GET", "/api/v1/authority", null, Wire.Authority.class);
    }

    /** Registers the device's signature key with its proof of possession; the same key again returns the same device. */
    public Wire.Device register(DeviceKeys keys) {
        byte[] key = keys.publicKey();
        byte[] signed = Arrays.copyOf(PROOF_LABEL, PROOF_LABEL.length + key.length);
        System.arraycopy(key, 0, signed, PROOF_LABEL.length, key.length);
        return call("POST", "/api/v1/devices", new Wire.Registration(encode(key), encode(keys.sign(signed))), Wire.Device.class);
    }

    public Wire.Supply upload(String deviceId, List<byte[]> keyPackages, Optional<byte[]> lastResort) {
        return call("POST", "/api/v1/devices/" + deviceId + "/key-packages",
                new Wire.Upload(keyPackages.stream().map(KeyDistributionClient::encode).toList(),
                        lastResort.map(KeyDistributionClient::encode).orElse(null)), Wire.Supply.class);
    }

    public Wire.Supply supply(String deviceId) {
        return call("GET", "/api/v1/devices/" + deviceId + "/key-packages", null, Wire.Supply.class);
    }

    public Wire.Claimed claim(String deviceId) {
        return call("POST", "/api/v1/devices/" + deviceId + "/key-packages/claim", null, Wire.Claimed.class);
    }

    public Wire.JoinAnswer join(String roomId, String participantId, String deviceId) {
        return call("POST", "/api/v1/groups/" + roomId + "/joins", new Wire.JoinRequest(participantId, deviceId), Wire.JoinAnswer.class);
    }

    /**
     * Submits a Proposal or Commit (with its Welcome).
     *
     * @throws KeyDistributionException with {@link KeyDistributionException#isStaleEpoch()} when
     *                                  another Commit won the epoch
     */
    public Wire.Verdict submit(String roomId, String deviceId, byte[] message, Optional<byte[]> welcome) {
        return call("POST", "/api/v1/groups/" + roomId + "/messages",
                new Wire.Submission(deviceId, encode(message), welcome.map(KeyDistributionClient::encode).orElse(null)),
                Wire.Verdict.class);
    }

    public Wire.GroupView group(String roomId) {
        return call("GET", "/api/v1/groups/" + roomId, null, Wire.GroupView.class);
    }

    public List<Wire.GroupMessage> messages(String roomId, String groupId, long after) {
        return Arrays.asList(call("GET", "/api/v1/groups/" + roomId + "/messages" + query(groupId, after), null,
                Wire.GroupMessage[].class));
    }

    /**
     * Follows the group's messages as server-sent events on a thread of its own, handing each to
     * {@code onMessage} in order, until the subscription is closed or the stream ends.
     */
    public Subscription follow(String roomId, String groupId, long after, Consumer<Wire.GroupMessage> onMessage) {
        return follow(roomId, groupId, after, onMessage, () -> { });
    }

    /** As above; {@code onEnd} runs when the stream ends without having been closed (the replica went away). */
    public Subscription follow(String roomId, String groupId, long after, Consumer<Wire.GroupMessage> onMessage,
                               Runnable onEnd) {
        int used = current;
        HttpRequest request = request(used, "/api/v1/groups/" + roomId + "/stream" + query(groupId, after))
                .header("Accept", "text/event-stream").GET().build();
        HttpResponse<java.io.InputStream> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            failOver(used);
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        if (response.statusCode() != 200) {
            try (var body = response.body()) {
                throw problem(response.statusCode(), new String(body.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        Subscription subscription = new Subscription(response.body());
        Thread reader = new Thread(() -> {
            try {
                subscription.read(line -> onMessage.accept(read(line, Wire.GroupMessage.class)));
            } catch (UncheckedIOException e) {
                failOver(used);
            } finally {
                if (!subscription.closed) {
                    onEnd.run();
                }
            }
        }, "kd-stream-" + roomId);
        reader.setDaemon(true);
        reader.start();
        return subscription;
    }

    /** A live stream of a group's messages; closing it ends the stream. */
    public static final class Subscription implements AutoCloseable {
        private final java.io.InputStream body;
        private volatile boolean closed;

        Subscription(java.io.InputStream body) {
            this.body = body;
        }

        private void read(Consumer<String> onData) {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
                StringBuilder data = new StringBuilder();
                for (String line = lines.readLine(); line != null && !closed; line = lines.readLine()) {
                    if (line.startsWith("data:")) {
                        data.append(line.substring(line.startsWith("data: ") ? 6 : 5));
                    } else if (line.isEmpty() && data.length() > 0) {
                        onData.accept(data.toString());
                        data.setLength(0);
                    }
                }
            } catch (IOException e) {
                if (!closed) {
                    throw new UncheckedIOException(e);
                }
            }
        }

        @Override
        public void close() {
            closed = true;
            try {
                body.close();
            } catch (IOException ignored) {
                // Closing is all we wanted.
            }
        }
    }

    private static String query(String groupId, long after) {
        return "?after=" + after + (groupId == null ? "" : "&group=" + URLEncoder.encode(groupId, StandardCharsets.UTF_8));
    }

    private <T> T call(String method, String path, Object body, Class<T> type) {
        return call(method, path, body, type, 0);
    }

    private <T> T call(String method, String path, Object body, Class<T> type, int attempt) {
        int used = current;
        HttpRequest.Builder request = request(used, path);
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(write(body)));
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            failOver(used);
            if ("GET".equals(method) && attempt + 1 < replicas.size()) {
                return call(method, path, body, type, attempt + 1);
            }
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        if (response.statusCode() >= 300) {
            throw problem(response.statusCode(), response.body());
        }
        return read(response.body(), type);
    }

    /** Replica {@code used} stopped answering: use the next one from now on (once, however many noticed). */
    private synchronized void failOver(int used) {
        if (current == used) {
            current = (used + 1) % replicas.size();
        }
    }

    private HttpRequest.Builder request(int replica, String path) {
        return HttpRequest.newBuilder(replicas.get(replica).resolve(path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token.get());
    }

    private KeyDistributionException problem(int status, String body) {
        try {
            Wire.Problem problem = json.readValue(body, Wire.Problem.class);
            String type = problem.type() == null ? "unknown" : problem.type().substring(problem.type().lastIndexOf('/') + 1);
            return new KeyDistributionException(status, type, problem.detail());
        } catch (JsonProcessingException e) {
            return new KeyDistributionException(status, "unknown", body);
        }
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private <T> T read(String body, Class<T> type) {
        try {
            return json.readValue(body, type);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
