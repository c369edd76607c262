package dev.parley.mediarelay.forward;

import dev.parley.mediarelay.rtcp.KeyframeRequests;
import dev.parley.mediarelay.rtcp.PictureLossIndication;
import dev.parley.mediarelay.rtp.Ssrc;
import dev.parley.mediarelay.session.Session;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.List;

/**
 * Asks a publisher for a keyframe with a Picture Loss Indication (RFC 4585 §6.3.1) when a
 * subscriber cannot decode (its own PLI or FIR, RFC 5104 §3.5.1) or starts receiving a video
 * track. Many subscribers asking at once cost the publisher one keyframe: requests per stream are
 * at least {@link #MIN_INTERVAL} apart, since each keyframe is several times a delta frame's size.
 */
@Singleton
public class KeyframeRequester {

    static final Duration MIN_INTERVAL = Duration.ofMillis(300);

    private final KeyframeRequests limits = new KeyframeRequests(MIN_INTERVAL);
    private final Egress egress;

    KeyframeRequester(Egress egress) {
        this.egress = egress;
    }

    /** Asks {@code publisher} for a keyframe of its stream {@code media}, unless one was just asked for. */
    public void request(Session publisher, Ssrc media) {
        boolean due;
        synchronized (limits) {
            due = limits.tryRequest(media.value(), System.nanoTime());
        }
        if (due) {
            egress.sendRtcp(publisher, List.of(new PictureLossIndication(publisher.relaySsrc().value(), media.value())));
        }
    }
}
