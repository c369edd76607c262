package dev.parley.mediarelay.simulcast;

import dev.parley.mediarelay.Timers;
import dev.parley.mediarelay.bwe.CongestionControl;
import dev.parley.mediarelay.bwe.SubscriberLink;
import dev.parley.mediarelay.forward.KeyframeRequester;
import dev.parley.mediarelay.rtp.MediaKind;
import dev.parley.mediarelay.rtp.PublishedTrack;
import dev.parley.mediarelay.rtp.TrackSource;
import dev.parley.mediarelay.session.Feed;
import dev.parley.mediarelay.session.InboundStream;
import dev.parley.mediarelay.session.RenderedSize;
import dev.parley.mediarelay.session.Session;
import dev.parley.mediarelay.session.SessionRegistry;
import dev.parley.mediarelay.session.Slot;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Decides, every {@link #INTERVAL_MS} ms, which stream each subscriber's slots forward
 * ({@link LayerChoice}): the subscriber's bandwidth estimate is spent on audio first, then screen
 * shares, then cameras, each taking the best stream that fits what is left and is no larger than
 * the client renders it; a track the client does not render is paused. While a slot waits for the
 * keyframe of the stream it switches to, the publisher is asked for one, again each second it does
 * not come (and rate-limited per stream).
 */
@Singleton
public class LayerSelector {

    private static final Logger LOG = Logger.getLogger(LayerSelector.class);
    static final long INTERVAL_MS = 250;

    private final SessionRegistry sessions;
    private final CongestionControl congestion;
    private final KeyframeRequester keyframes;
    private final Counter switches;
    private final ScheduledExecutorService timer = Timers.daemon("layer-selector");

    LayerSelector(SessionRegistry sessions, CongestionControl congestion, KeyframeRequester keyframes,
                  MeterRegistry metrics) {
        this.sessions = sessions;
        this.congestion = congestion;
        this.keyframes = keyframes;
        this.switches = Counter.builder("parley.media.layer.switches")
                .description("Times a subscriber's slot was set to forward another stream of its track, or paused")
                .register(metrics);
    }

    void start(@Observes StartupEvent started) {
        timer.scheduleWithFixedDelay(this::selectAll, INTERVAL_MS, INTERVAL_MS, TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent stopping) {
        timer.shutdownNow();
    }

    private void selectAll() {
        long now = System.nanoTime();
        for (Session session : sessions.all()) {
            if (session.receivesAll()) {
                continue;
            }
            try {
                select(session, now);
            } catch (RuntimeException e) {
                LOG.debugf(e, "layer selection for session %s failed", session.id());
            }
        }
    }

    void select(Session subscriber, long now) {
        Optional<SubscriberLink> link = congestion.link(subscriber);
        long budget = link.map(SubscriberLink::estimate).orElse(Long.MAX_VALUE);
        List<Slot> slots = new ArrayList<>(subscriber.slots().values().stream()
                .filter(slot -> slot.feed().isPresent() && slot.stream().isPresent()).toList());
        slots.sort(Comparator.comparingInt(LayerSelector::priority));
        List<String> chosen = new ArrayList<>();
        for (Slot slot : slots) {
            Feed feed = slot.feed().orElseThrow();
            PublishedTrack track = feed.track();
            LayerSwitch stream = slot.stream().orElseThrow();
            List<LayerChoice.Layer> layers = new ArrayList<>();
            for (int layer = 0; layer < track.layers(); layer++) {
                Optional<InboundStream> inbound = feed.publisher().layerSsrc(track, layer)
                        .flatMap(feed.publisher()::inbound);
                layers.add(inbound.map(in -> new LayerChoice.Layer(in.bitrate(now), in.frameWidth(), in.frameHeight()))
                        .orElse(LayerChoice.Layer.ABSENT));
            }
            RenderedSize rendered = track.kind() == MediaKind.VIDEO ? subscriber.rendered().get(slot.mid()) : null;
            LayerChoice choice = LayerChoice.choose(layers, budget, rendered, stream.current());
            budget = budget == Long.MAX_VALUE ? budget : Math.max(0, budget - choice.cost());
            if (stream.target(choice.layer())) {
                switches.increment();
            }
            int awaited = stream.keyframeDue(now);
            if (awaited != LayerSwitch.PAUSED && track.kind() == MediaKind.VIDEO) {
                feed.publisher().layerSsrc(track, awaited).ifPresent(ssrc -> keyframes.request(feed.publisher(), ssrc));
            }
            chosen.add(slot.mid() + ":" + choice.layer());
        }
        if (LOG.isDebugEnabled()) {
            LOG.debugf("session %s %s slots %s", subscriber.id(), link.map(SubscriberLink::describe).orElse("-"), chosen);
        }
    }

    /** Audio first, then screen shares, then cameras (the order the budget is spent in). */
    private static int priority(Slot slot) {
        PublishedTrack track = slot.feed().orElseThrow().track();
        if (track.kind() == MediaKind.AUDIO) {
            return 0;
        }
        return track.source() == TrackSource.SCREEN ? 1 : 2;
    }
}
