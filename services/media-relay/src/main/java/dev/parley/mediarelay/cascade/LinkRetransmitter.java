package dev.parley.mediarelay.cascade;

import dev.parley.mediarelay.rtcp.Rtx;
import dev.parley.mediarelay.rtp.PublishedTrack;
import dev.parley.mediarelay.rtp.RtpHeader;
import dev.parley.mediarelay.sdp.RtpCodec;
import dev.parley.mediarelay.session.Session;
import dev.parley.mediarelay.simulcast.LayerSwitch;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Answers the other relay's NACKs (RFC 4585 §6.2.1) for a local publisher's track it receives over
 * a link: what the link lost between the relays is resent from this relay's retransmission cache of
 * the publisher's stream, as the other relay's stand-in asks for it with its own loss recovery
 * ({@code LossRecovery}, the same as towards a publisher). Each number is the link's own (the
 * link's {@link Link#feed} renumbers the track's stream, {@link LayerSwitch#origin} maps it back);
 * the packet goes out as it went over the link (SSRC, number, timestamp), wrapped as RTX on the
 * track's RTX SSRC with the RTX payload type of the publisher's section (RFC 4588 §4), which the
 * track's description told the other relay, or as it was when the track has no RTX. A packet no
 * longer held is counted and not asked of the publisher: by then it is too late to play.
 */
@Singleton
public class LinkRetransmitter {

    /** Room for the SRTP trailer after the packet. */
    private static final int TRAILER = 20;

    private final Links links;
    private final Counter retransmitted;
    private final Counter missed;

    LinkRetransmitter(Links links, MeterRegistry metrics) {
        this.links = links;
        this.retransmitted = Counter.builder("parley.media.cascade.link.retransmitted.packets")
                .description("Packets resent over links, answering the other relays' NACKs")
                .register(metrics);
        this.missed = Counter.builder("parley.media.cascade.link.nack.misses")
                .description("Packets other relays asked for over links that the cache no longer held")
                .register(metrics);
    }

    /** Resends what the other relay of {@code link} asks for of {@code publisher}'s {@code track}. */
    void resend(Link link, Session publisher, PublishedTrack track, List<Integer> sequenceNumbers) {
        Optional<LayerSwitch> feed = link.feed(track.ssrc());
        if (feed.isEmpty()) {
            missed.increment(sequenceNumbers.size());
            return;
        }
        long now = System.nanoTime();
        for (int sequenceNumber : sequenceNumbers) {
            Optional<LayerSwitch.Origin> origin = feed.get().origin(sequenceNumber);
            Optional<byte[]> original = origin.flatMap(from -> publisher.layerSsrc(track, from.layer()))
                    .flatMap(publisher::inbound)
                    .flatMap(cached -> cached.cached(origin.get().sequenceNumber(), now));
            if (original.isEmpty()) {
                missed.increment();
                continue;
            }
            byte[] packet = original.get();
            RtpHeader.setStream(packet, 0, track.ssrc().value(), sequenceNumber,
                    (RtpHeader.timestamp(packet, 0) + origin.get().timestampOffset()) & 0xFFFF_FFFFL);
            byte[] resent = rtxPayloadType(track, RtpHeader.payloadType(packet, 0))
                    .flatMap(rtxType -> track.rtx().flatMap(rtxSsrc -> Rtx.wrap(packet, 0, packet.length, rtxType,
                            rtxSsrc.value(), link.nextRtxSequence(rtxSsrc))))
                    .orElse(packet);
            if (links.sendRtp(link, Arrays.copyOf(resent, resent.length + TRAILER), resent.length)) {
                retransmitted.increment();
            }
        }
    }

    /** The publisher section's RTX payload type for {@code mediaType}: the rtx codec whose apt names it (RFC 4588 §8.1). */
    private static Optional<Integer> rtxPayloadType(PublishedTrack track, int mediaType) {
        return track.format().flatMap(format -> format.codecs().stream()
                .filter(codec -> codec.is("rtx") && codec.associatedPayloadType().filter(apt -> apt == mediaType).isPresent())
                .map(RtpCodec::payloadType)
                .findFirst());
    }
}
