package dev.parley.client.media.janus;

import dev.parley.client.media.negotiation.OfferingNegotiator;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;

/**
 * A VideoRoom subscriber as an {@link OfferingNegotiator}: a Janus session of its own, a
 * {@code janus.plugin.videoroom} handle, {@code join} as a subscriber to every track of
 * {@code feeds} in one PeerConnection (Janus 1.x multistream); Janus offers in the
 * {@code attached} event, and the client's answer goes back with {@code start}. A feed that is not
 * publishing yet (error 428, its PeerConnection still coming up) is asked for again for up to 10 s.
 * {@link #close()} destroys the session.
 */
public final class JanusSubscriber implements OfferingNegotiator {

    private static final Duration FEED_WAIT = Duration.ofSeconds(10);
    private static final long FEED_RETRY_MILLIS = 100;

    private final HttpClient http;
    private final URI janus;
    private final ScheduledExecutorService timer;
    private final long room;
    private final List<Long> feeds;
    private JanusSession session;
    private long handle;

    public JanusSubscriber(HttpClient http, URI janus, ScheduledExecutorService timer, long room, List<Long> feeds) {
        if (feeds.isEmpty()) {
            throw new IllegalArgumentException("a subscriber watches at least one feed");
        }
        this.http = http;
        this.janus = janus;
        this.timer = timer;
        this.room = room;
        this.feeds = List.copyOf(feeds);
    }

    @Override
    public synchronized String offer() throws IOException, InterruptedException {
        if (session != null) {
            throw new IllegalStateException("one offer per subscriber here");
        }
        session = JanusSession.create(http, janus, timer);
        handle = session.attach(JanusRequests.VIDEOROOM);
        long deadline = System.nanoTime() + FEED_WAIT.toNanos();
        while (true) {
            try {
                JanusReply attached = session.message(handle, JanusRequests.joinAsSubscriber(room, feeds), Optional.empty());
                return attached.jsep()
                        .orElseThrow(() -> new IOException("Janus answered the subscriber's join without an offer: "
                                + attached.pluginData())).sdp();
            } catch (JanusException e) {
                if (e.code() != JanusException.NO_SUCH_FEED || System.nanoTime() - deadline > 0) {
                    throw e;
                }
                Thread.sleep(FEED_RETRY_MILLIS); // the publisher's PeerConnection is still coming up: Janus has no event to await
            }
        }
    }

    @Override
    public synchronized void answer(String sdp) throws IOException, InterruptedException {
        if (session == null) {
            throw new IllegalStateException("offer() first");
        }
        JanusReply started = session.message(handle, JanusRequests.start(), Optional.of(new JanusReply.Jsep("answer", sdp)));
        if (!started.pluginData().path("started").asText().equals("ok")) {
            throw new IOException("Janus did not start the subscription: " + started.pluginData());
        }
    }

    @Override
    public synchronized void close() throws IOException {
        if (session != null) {
            session.close();
        }
    }
}
