package dev.parley.client.media.janus;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One Janus session over its HTTP REST transport (janus.conf.meetecho.com/docs/rest): created with
 * {@code POST /janus {"janus":"create"}}, plugin handles attached to it, requests sent to
 * {@code /janus/<session>/<handle>}. Synchronous plugin requests are answered in the POST's
 * response; asynchronous ones are acknowledged ({@code ack}) and answered by an event with the
 * same transaction, which arrives on the session's long poll ({@code GET /janus/<session>}), kept
 * running with the JDK's asynchronous client. A keepalive every 25 s keeps the session within
 * Janus's 60 s timeout; {@link #close()} destroys it, which detaches its handles and hangs up their
 * PeerConnections.
 */
public final class JanusSession implements AutoCloseable {

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(15);
    private static final long KEEPALIVE_SECONDS = 25;
    private static final int EVENTS_PER_POLL = 10;

    private final HttpClient http;
    private final URI session;
    private final Map<String, CompletableFuture<JanusReply>> waiting = new ConcurrentHashMap<>();
    private final AtomicLong transactions = new AtomicLong();
    private final ScheduledFuture<?> keepalive;
    private volatile boolean closed;

    private JanusSession(HttpClient http, URI session, ScheduledExecutorService timer) {
        this.http = http;
        this.session = session;
        this.keepalive = timer.scheduleAtFixedRate(this::keepalive, KEEPALIVE_SECONDS, KEEPALIVE_SECONDS, TimeUnit.SECONDS);
        poll();
    }

    /** Creates a session on the Janus at {@code base} ({@code http://host:8088/janus}); keepalives run on {@code timer}. */
    public static JanusSession create(HttpClient http, URI base, ScheduledExecutorService timer)
            throws IOException, InterruptedException {
        JanusReply created = post(http, base, JanusRequests.core("create", "create"));
        long id = created.id().orElseThrow(() -> new IOException("Janus created a session without an id"));
        return new JanusSession(http, URI.create(base.toString().replaceAll("/$", "") + "/" + id), timer);
    }

    /** Attaches a handle of {@code plugin}; returns its id. */
    public long attach(String plugin) throws IOException, InterruptedException {
        JanusReply attached = post(http, session, JanusRequests.attach(plugin, nextTransaction()));
        return attached.id().orElseThrow(() -> new IOException("Janus attached a handle without an id"));
    }

    /** A synchronous plugin request (such as creating a room): its reply, or its error thrown. */
    public JanusReply request(long handle, ObjectNode body) throws IOException, InterruptedException {
        return post(http, handle(handle), JanusRequests.message(body, Optional.empty(), nextTransaction()));
    }

    /**
     * An asynchronous plugin request, with an SDP if negotiating: waits for its event (up to 15 s)
     * and returns it, or throws the plugin's error.
     */
    public JanusReply message(long handle, ObjectNode body, Optional<JanusReply.Jsep> jsep)
            throws IOException, InterruptedException {
        String transaction = nextTransaction();
        CompletableFuture<JanusReply> event = new CompletableFuture<>();
        waiting.put(transaction, event);
        try {
            JanusReply ack = post(http, handle(handle), JanusRequests.message(body, jsep, transaction));
            if (ack.type().equals("event")) {
                return ack.orThrow(); // answered at once
            }
            return event.get(REQUEST_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).orThrow();
        } catch (ExecutionException e) {
            throw new IOException("the session's long poll failed", e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("no Janus event for " + body.path("request").asText() + " within " + REQUEST_TIMEOUT);
        } finally {
            waiting.remove(transaction);
        }
    }

    /** Stops the keepalives and the long poll, and destroys the session on Janus. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        keepalive.cancel(false);
        try {
            post(http, session, JanusRequests.core("destroy", nextTransaction()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while destroying the Janus session");
        }
    }

    private URI handle(long handle) {
        return URI.create(session + "/" + handle);
    }

    private String nextTransaction() {
        return Long.toString(transactions.incrementAndGet());
    }

    private void keepalive() {
        http.sendAsync(jsonPost(session, JanusRequests.core("keepalive", nextTransaction())),
                HttpResponse.BodyHandlers.discarding());
    }

    /** One long poll; the next starts when it returns, until the session is closed. */
    private void poll() {
        if (closed) {
            return;
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create(session + "?maxev=" + EVENTS_PER_POLL))
                .timeout(Duration.ofSeconds(60)).GET().build();
        http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((response, failure) -> {
            if (closed) {
                return;
            }
            if (failure != null || response.statusCode() != 200) {
                waiting.values().forEach(w -> w.completeExceptionally(failure != null ? failure
                        : new IOException("Janus long poll answered " + response.statusCode())));
                return;
            }
            JanusReply.parseAll(response.body()).forEach(this::dispatch);
            poll();
        });
    }

    /** Completes the request waiting for this event; others (webrtcup, media, slowlink, keepalive) are not read. */
    private void dispatch(JanusReply reply) {
        reply.transaction().map(waiting::get).ifPresent(waiter -> waiter.complete(reply));
    }

    private static JanusReply post(HttpClient http, URI uri, ObjectNode body) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(jsonPost(uri, body), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("Janus answered HTTP " + response.statusCode() + ": " + response.body());
        }
        return JanusReply.parse(response.body()).orThrow();
    }

    private static HttpRequest jsonPost(URI uri, ObjectNode body) {
        return HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
    }
}
