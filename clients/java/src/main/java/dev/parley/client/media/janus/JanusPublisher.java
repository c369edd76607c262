package dev.parley.client.media.janus;

import dev.parley.client.media.negotiation.Answer;
import dev.parley.client.media.negotiation.Negotiator;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;

/**
 * A VideoRoom publisher as a {@link Negotiator}: the first offer creates a Janus session of its
 * own, attaches {@code janus.plugin.videoroom}, joins the room as publisher {@code feed} and sends
 * {@code publish} with the offer; Janus's answer comes in the {@code configured} event. What others
 * receive is Janus's business (subscribers ask for it), so the answer has no subscriptions.
 * Janus takes one offer per publisher here; {@link #close()} destroys the session.
 */
public final class JanusPublisher implements Negotiator {

    private final HttpClient http;
    private final URI janus;
    private final ScheduledExecutorService timer;
    private final long room;
    private final long feed;
    private JanusSession session;

    /** {@code janus} as {@code http://10.213.0.2:8088/janus}; {@code feed} the publisher's id in {@code room}. */
    public JanusPublisher(HttpClient http, URI janus, ScheduledExecutorService timer, long room, long feed) {
        this.http = http;
        this.janus = janus;
        this.timer = timer;
        this.room = room;
        this.feed = feed;
    }

    @Override
    public synchronized Answer negotiate(String offer, Map<String, String> sources) throws IOException, InterruptedException {
        if (session != null) {
            throw new IllegalStateException("a Janus publisher offers once here");
        }
        session = JanusSession.create(http, janus, timer);
        long handle = session.attach(JanusRequests.VIDEOROOM);
        JanusReply joined = session.message(handle, JanusRequests.joinAsPublisher(room, feed), Optional.empty());
        if (!joined.videoroom().equals("joined")) {
            throw new IOException("Janus answered the publisher's join with " + joined.pluginData());
        }
        JanusReply configured = session.message(handle, JanusRequests.publish(),
                Optional.of(new JanusReply.Jsep("offer", offer)));
        JanusReply.Jsep answer = configured.jsep()
                .orElseThrow(() -> new IOException("Janus answered publish without an SDP: " + configured.pluginData()));
        return new Answer(answer.sdp(), List.of());
    }

    @Override
    public synchronized void close() throws IOException {
        if (session != null) {
            session.close();
        }
    }
}
