package dev.parley.mediarelay.cascade;

import dev.parley.mediarelay.Timers;
import dev.parley.mediarelay.forward.KeyframeRequester;
import dev.parley.mediarelay.rtp.MediaKind;
import dev.parley.mediarelay.rtp.PublishedTrack;
import dev.parley.mediarelay.rtp.Ssrc;
import dev.parley.mediarelay.sdp.RtpCodec;
import dev.parley.mediarelay.session.Session;
import dev.parley.mediarelay.session.SessionRegistry;
import dev.parley.mediarelay.simulcast.LayerChoice;
import dev.parley.mediarelay.simulcast.LayerSwitch;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Decides, every {@link #INTERVAL_MS} ms, what each of this relay's participants' tracks sends over
 * each link ({@link Link#feed}), as the layer selector does for a subscriber's slot:
 * <ul>
 *   <li>video none of the other relay's participants receives (no slot carries it, or every one
 *       renders it at 0×0, as that relay said): nothing, so the link carries no media nobody there
 *       shows;</li>
 *   <li>audio: always, whatever the other relay said: it is cheap, and the room's one
 *       dominant-speaker detector ({@code Speakers}) must hear every participant;</li>
 *   <li>else a track sent without simulcast: its one stream; a simulcast track: its best arriving
 *       stream no larger than the largest size the other relay's participants render it at
 *       ({@link LayerChoice}; the best when that size is not known).</li>
 * </ul>
 * A feed that resumes or switches waits for a keyframe of its new stream, which the publisher is
 * asked for (PLI, RFC 4585 §6.3.1, rate-limited per stream), again each second it does not come.
 */
@Singleton
public class LinkFeeds {

    private static final Logger LOG = Logger.getLogger(LinkFeeds.class);
    static final long INTERVAL_MS = 250;

    private final Links links;
    private final SessionRegistry sessions;
    private final KeyframeRequester keyframes;
    private final Counter switches;
    private final ScheduledExecutorService timer = Timers.daemon("link-feeds");

    LinkFeeds(Links links, SessionRegistry sessions, KeyframeRequester keyframes, MeterRegistry metrics) {
        this.links = links;
        this.sessions = sessions;
        this.keyframes = keyframes;
        this.switches = Counter.builder("parley.media.cascade.link.feed.switches")
                .description("Times a local track's feed over a link was set to another stream, paused or resumed")
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
        for (Link link : links.all()) {
            try {
                select(link, now);
            } catch (RuntimeException e) {
                LOG.debugf(e, "feeds of the link of room %s with %s failed", link.room(), link.peer());
            }
        }
    }

    void select(Link link, long now) {
        Set<Ssrc> published = new HashSet<>();
        for (Session publisher : sessions.inRoom(link.room())) {
            if (publisher.participant().isEmpty() || links.isStandIn(publisher)) {
                continue;
            }
            for (PublishedTrack track : publisher.tracks()) {
                published.add(track.ssrc());
                link.feed(track.ssrc()).ifPresent(feed -> select(link, publisher, track, feed, now));
            }
        }
        link.keepFeeds(published);
    }

    private void select(Link link, Session publisher, PublishedTrack track, LayerSwitch feed, long now) {
        int target;
        if (!link.receives(track)) {
            target = LayerSwitch.PAUSED;
        } else if (!track.simulcast()) {
            target = 0;
        } else {
            List<LayerChoice.Layer> layers = new ArrayList<>();
            for (int layer = 0; layer < track.layers(); layer++) {
                layers.add(publisher.layerSsrc(track, layer).flatMap(publisher::inbound)
                        .map(in -> new LayerChoice.Layer(in.bitrate(now), in.frameWidth(), in.frameHeight()))
                        .orElse(LayerChoice.Layer.ABSENT));
            }
            target = LayerChoice.choose(layers, Long.MAX_VALUE, link.renderedSize(track.ssrc()).orElse(null),
                    feed.current()).layer();
        }
        if (feed.target(target)) {
            switches.increment();
        }
        int awaited = feed.keyframeDue(now);
        if (awaited != LayerSwitch.PAUSED && track.kind() == MediaKind.VIDEO) {
            publisher.layerSsrc(track, awaited).ifPresent(ssrc -> keyframes.request(publisher, ssrc));
        }
    }

    /** The RTP clock rate of the track's first codec: 48 kHz for Opus (RFC 7587 §4.1), 90 kHz for video. */
    static int clockRate(PublishedTrack track) {
        return track.format().flatMap(format -> format.codecs().stream().findFirst()).map(RtpCodec::clock)
                .map(clock -> Integer.parseInt(clock.split("/")[0]))
                .orElse(track.kind() == MediaKind.AUDIO ? 48_000 : 90_000);
    }

    /** The stream a keyframe request for {@code feed}'s track over the link is for: the one it forwards or awaits. */
    static Optional<Ssrc> keyframeStream(Session publisher, PublishedTrack track, LayerSwitch feed) {
        int layer = feed.current() != LayerSwitch.PAUSED ? feed.current() : feed.target();
        return publisher.layerSsrc(track, layer);
    }
}
