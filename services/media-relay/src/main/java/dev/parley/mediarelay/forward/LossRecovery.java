package dev.parley.mediarelay.forward;

import dev.parley.mediarelay.Timers;
import dev.parley.mediarelay.cascade.Links;
import dev.parley.mediarelay.rtcp.GenericNack;
import dev.parley.mediarelay.rtcp.NackTracker;
import dev.parley.mediarelay.rtcp.Rtx;
import dev.parley.mediarelay.rtp.PublishedTrack;
import dev.parley.mediarelay.rtp.RtpHeader;
import dev.parley.mediarelay.rtp.Ssrc;
import dev.parley.mediarelay.sdp.RtpCodec;
import dev.parley.mediarelay.session.InboundStream;
import dev.parley.mediarelay.session.Session;
import dev.parley.mediarelay.session.SessionRegistry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Recovers what the relay lost of a publisher's video, on the publisher-to-relay hop (or, for the
 * stand-in of another relay's participant, on the link from that relay, which answers from its own
 * cache), before it reaches the subscribers: a subscriber's own NACKs can only be answered from the relay's cache,
 * so a packet lost on the way in would otherwise be lost for every subscriber at once.
 * <ul>
 *   <li>Every {@link #TICK} the relay sends each publisher a generic NACK (RFC 4585 §6.2.1) per
 *       video stream with packets missing (the streams the media thread {@link #watch}es when a
 *       gap opens, so streams that lose nothing cost the tick nothing), as its
 *       {@link InboundStream}'s {@link NackTracker}
 *       schedules them: only for streams whose section negotiated {@code nack}, re-asking at about
 *       an RTT, a bounded number of times within a bounded age.</li>
 *   <li>A packet given up on leaves a hole no subscriber can repair: the relay asks the publisher
 *       for a keyframe (PLI, RFC 4585 §6.3.1) through the {@link KeyframeRequester}, which
 *       rate-limits per stream; a request the limit holds back is sent when the limit allows.</li>
 *   <li>The publisher answers on its RTX stream (RFC 4588 §4, the {@code a=ssrc-group:FID} of its
 *       offer): {@link #recover} unwraps the original (OSN in the first two payload bytes, the RTX
 *       payload type's {@code apt} as payload type, RFC 4588 §8.1) and, if it fills a gap the relay
 *       still asks for or gave up on lately, or is newer than anything the stream brought (a
 *       browser's bandwidth probe copying a packet whose original was lost), hands it back to the
 *       forwarder.</li>
 * </ul>
 * The forwarder sends a recovered packet to subscribers as a late packet of the original stream,
 * with its original sequence number, rather than as RTX on their RTX stream: none of them ever
 * received it, so it is new to their SRTP replay windows (RFC 3711 §3.3.2) and to their jitter
 * buffers, which take it as any reordered packet; the RTX stream stays for the relay's own answers
 * to their NACKs. It must be within the last 64 packets sent to a subscriber, the window the relay's
 * own SRTP context (jitsi-srtp) checks on sending; one later than that is not sent, and the
 * subscriber's own NACK then gets it from the cache, as RTX. Retransmissions of packets the relay
 * has had or has forgotten (duplicates, most of the RTX padding browsers send to probe bandwidth)
 * go no further.
 */
@Singleton
public class LossRecovery {

    private static final Logger LOG = Logger.getLogger(LossRecovery.class);
    /** How often NACKs are due: short against an RTT, and a packet reordered within it is never asked for. */
    static final Duration TICK = Duration.ofMillis(10);
    /** At most 128 PID/BLP pairs: one NACK of 524 bytes, well within any MTU. */
    private static final int NACKED_PER_PACKET = 128;

    private final SessionRegistry sessions;
    private final Links links;
    private final Egress egress;
    private final KeyframeRequester keyframes;
    private final Counter nacked;
    private final Counter recovered;
    private final Counter unrecovered;
    private final Counter discarded;
    /** The streams with packets missing, and their publishers: what the next tick NACKs. */
    private final Map<InboundStream, Session> awaiting = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer = Timers.daemon("publisher-nacks");

    LossRecovery(SessionRegistry sessions, Links links, Egress egress, KeyframeRequester keyframes,
                 MeterRegistry metrics) {
        this.sessions = sessions;
        this.links = links;
        this.egress = egress;
        this.keyframes = keyframes;
        this.nacked = Counter.builder("parley.media.publisher.nacked.packets")
                .description("Sequence numbers the relay asked publishers to resend (generic NACK), repeats included")
                .register(metrics);
        this.recovered = Counter.builder("parley.media.recovered.packets")
                .description("Lost publisher packets that the publisher's retransmission (RTX) recovered")
                .register(metrics);
        this.unrecovered = Counter.builder("parley.media.unrecovered.packets")
                .description("Lost publisher packets the relay gave up asking for")
                .register(metrics);
        this.discarded = Counter.builder("parley.media.rtx.discarded.packets")
                .description("Publisher retransmissions that filled no gap: duplicates, too late, or bandwidth probes")
                .register(metrics);
    }

    void start(@Observes StartupEvent started) {
        timer.scheduleWithFixedDelay(this::nackAll, TICK.toMillis(), TICK.toMillis(), TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent stopping) {
        timer.shutdownNow();
    }

    /**
     * The original packet inside {@code rtx}, an unprotected RTX packet of {@code track} from
     * {@code publisher} repairing its media stream {@code media} (the track's SSRC, or one simulcast
     * stream's), if the relay has not had it ({@link InboundStream#recovered}); recorded in the
     * stream's cache. Empty when it has, or when the RTX payload type has no {@code apt} in the
     * publisher's section.
     */
    Optional<byte[]> recover(Session publisher, PublishedTrack track, Ssrc media, byte[] rtx, int offset, int length) {
        Optional<InboundStream> stream = publisher.inbound(media);
        Optional<Integer> mediaType = track.format()
                .flatMap(format -> format.codec(RtpHeader.payloadType(rtx, offset)))
                .flatMap(RtpCodec::associatedPayloadType);
        if (stream.isEmpty() || mediaType.isEmpty() || !stream.get().asksForRetransmissions()) {
            discarded.increment();
            return Optional.empty();
        }
        Optional<byte[]> original = Rtx.unwrap(rtx, offset, length, mediaType.get(), media.value())
                .filter(packet -> stream.get().recovered(packet, 0, packet.length, System.nanoTime()));
        if (original.isPresent()) {
            recovered.increment();
            if (stream.get().awaitsRecovery()) {
                watch(publisher, stream.get()); // a probe's copy newer than anything can show a gap
            }
        } else {
            discarded.increment();
        }
        return original;
    }

    /**
     * Notes that {@code stream} of {@code publisher} has packets missing: the media thread calls it
     * when {@link InboundStream#received} says so, and only those streams get NACK rounds, so the
     * tick costs nothing for the streams that lose nothing.
     */
    void watch(Session publisher, InboundStream stream) {
        awaiting.put(stream, publisher);
    }

    /**
     * One NACK round over the streams awaiting recovery, as they were when it began. Over a copy:
     * a stream is removed and put back while the round runs, and an iterator of the live map
     * follows a removed entry's link to its re-added successor in the same bin, so with two
     * awaiting streams in one bin the round never ended while they awaited recovery (up to a second
     * after a loss): the NACK thread used more CPU than the media thread.
     */
    private void nackAll() {
        keyframes.retryDeferred();
        long now = System.nanoTime();
        for (Map.Entry<InboundStream, Session> entry : List.copyOf(awaiting.entrySet())) {
            InboundStream stream = entry.getKey();
            Session publisher = entry.getValue();
            // Forgotten before the round: a gap the media thread opens meanwhile watches it again.
            awaiting.remove(stream, publisher);
            if (!current(publisher, stream)) {
                continue;
            }
            try {
                nack(publisher, stream, now);
            } catch (RuntimeException e) {
                // One session's failure must not end the schedule for the others.
                LOG.debugf(e, "NACKs to session %s failed", publisher.id());
            }
            if (stream.awaitsRecovery()) {
                awaiting.putIfAbsent(stream, publisher);
            }
        }
    }

    /**
     * Whether the stream is still one its publisher publishes, and the publisher an open session
     * here or the stand-in of a linked relay's participant (what a link lost is asked of the other
     * relay, over the link).
     */
    private boolean current(Session publisher, InboundStream stream) {
        return (sessions.byId(publisher.id()).filter(open -> open == publisher).isPresent()
                || links.isStandIn(publisher))
                && publisher.inbound().get(stream.ssrc()) == stream;
    }

    private void nack(Session publisher, InboundStream stream, long now) {
        NackTracker.Round round = stream.nackRound(now);
        List<Integer> due = round.nack();
        for (int from = 0; from < due.size(); from += NACKED_PER_PACKET) {
            egress.sendRtcp(publisher, List.of(new GenericNack(publisher.relaySsrc().value(),
                    stream.ssrc().value(), due.subList(from, Math.min(due.size(), from + NACKED_PER_PACKET)))));
        }
        if (!due.isEmpty()) {
            nacked.increment(due.size());
        }
        if (round.givenUp() > 0) {
            unrecovered.increment(round.givenUp());
            keyframes.requestSoon(publisher, stream.ssrc());
        }
    }
}
