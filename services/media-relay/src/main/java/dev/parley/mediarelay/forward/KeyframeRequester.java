package dev.parley.mediarelay.forward;

import dev.parley.mediarelay.rtcp.KeyframeRequests;
import dev.parley.mediarelay.rtcp.PictureLossIndication;
import dev.parley.mediarelay.rtp.MediaKind;
import dev.parley.mediarelay.rtp.Ssrc;
import dev.parley.mediarelay.session.Session;
import dev.parley.mediarelay.session.SessionId;
import dev.parley.mediarelay.session.SessionRegistry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Asks a publisher for a keyframe with a Picture Loss Indication (RFC 4585 §6.3.1) when a
 * subscriber cannot decode (its own PLI or FIR, RFC 5104 §3.5.1), starts receiving a video track,
 * or the relay gave up recovering a lost packet ({@link LossRecovery}). Many asking at once cost
 * the publisher one keyframe: requests per publisher stream are at least {@link #MIN_INTERVAL}
 * apart, since each keyframe is several times a delta frame's size; a storm of PLIs and FIRs from
 * every subscriber collapses into at most one request per interval. Limits are kept per publishing
 * session, so two publishers that chose the same SSRC never share one, and go with the session.
 */
@Singleton
public class KeyframeRequester {

    static final Duration MIN_INTERVAL = Duration.ofMillis(300);

    private final Map<SessionId, KeyframeRequests> limits = new ConcurrentHashMap<>();
    /** Requests held back by the limit that must still go out; a set, so each stream waits once. */
    private final Set<Deferred> deferred = ConcurrentHashMap.newKeySet();
    private final Egress egress;
    private final Counter sent;
    private final Counter suppressed;

    KeyframeRequester(Egress egress, SessionRegistry sessions, MeterRegistry metrics) {
        this.egress = egress;
        this.sent = Counter.builder("parley.media.keyframe.requests").tag("outcome", "sent")
                .description("Keyframe requests (PLI) to publishers, and those the rate limit held back")
                .register(metrics);
        this.suppressed = Counter.builder("parley.media.keyframe.requests").tag("outcome", "suppressed")
                .description("Keyframe requests (PLI) to publishers, and those the rate limit held back")
                .register(metrics);
        sessions.onClose(closed -> limits.remove(closed.id()));
        sessions.onEstablished(this::subscriberReady);
    }

    /** Asks {@code publisher} for a keyframe of its stream {@code media}, unless one was just asked for. */
    public void request(Session publisher, Ssrc media) {
        ask(publisher, media, true);
    }

    /**
     * Asks as {@link #request} does; if the rate limit holds the request back, asks again at each
     * {@link #retryDeferred} until it passes. For the relay's own losses: a packet it gave up on
     * may be newer than the keyframe last asked for, and no subscriber will ask for it (their
     * receivers wait seconds before they do), so the request must not be lost to the limit.
     */
    public void requestSoon(Session publisher, Ssrc media) {
        if (!ask(publisher, media, true)) {
            deferred.add(new Deferred(publisher, media));
        }
    }

    /** Sends the deferred requests the rate limit now lets through; those of closed sessions are dropped. */
    void retryDeferred() {
        deferred.removeIf(request -> !limits.containsKey(request.publisher().id())
                || ask(request.publisher(), request.media(), false));
    }

    /** Whether a request went to the publisher; a held-back one is counted if {@code countHeldBack}. */
    private boolean ask(Session publisher, Ssrc media, boolean countHeldBack) {
        KeyframeRequests publisherLimits = limits.computeIfAbsent(publisher.id(),
                id -> new KeyframeRequests(MIN_INTERVAL));
        boolean due;
        synchronized (publisherLimits) {
            due = publisherLimits.tryRequest(media.value(), System.nanoTime());
        }
        if (!due) {
            if (countHeldBack) {
                suppressed.increment();
            }
            return false;
        }
        sent.increment();
        egress.sendRtcp(publisher, List.of(new PictureLossIndication(publisher.relaySsrc().value(), media.value())));
        return true;
    }

    private record Deferred(Session publisher, Ssrc media) {
    }

    /**
     * A session's SRTP is ready: ask for a keyframe of every video track its slots carry. The
     * request made when the slot was assigned went out before this subscriber could receive, so the
     * keyframe it brought may have passed it by (a new participant, or everyone at once after a
     * {@code media-restart}); without this the subscriber waits for its own PLI.
     */
    private void subscriberReady(Session subscriber) {
        subscriber.slots().values().stream().flatMap(slot -> slot.feed().stream())
                .filter(feed -> feed.track().kind() == MediaKind.VIDEO)
                .forEach(feed -> request(feed.publisher(), feed.track().ssrc()));
    }
}
