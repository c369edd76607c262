package dev.parley.mediarelay.forward;

import dev.parley.media.srtp.SrtpTransformer;
import dev.parley.mediarelay.rtcp.Rtx;
import dev.parley.mediarelay.rtp.PublishedTrack;
import dev.parley.mediarelay.rtp.RtpHeader;
import dev.parley.mediarelay.rtp.RtpRewrite;
import dev.parley.mediarelay.sdp.RtpCodec;
import dev.parley.mediarelay.session.Feed;
import dev.parley.mediarelay.session.Session;
import dev.parley.mediarelay.session.Slot;
import dev.parley.mediarelay.simulcast.LayerSwitch;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;

import java.util.List;
import java.util.Optional;

/**
 * Answers a subscriber's NACK (RFC 4585 §6.2.1) from the publisher stream's cache: each sequence
 * number the subscriber names is mapped back to the stream and number it was forwarded from
 * ({@link LayerSwitch#origin}); each packet still held is rewritten for the subscriber's section
 * as when it was forwarded (format, SSRC, sequence number, timestamp), then sent on the
 * stream's RTX SSRC with the subscriber's RTX payload type and the original sequence number in
 * front of the payload (RFC 4588 §4), or as it was when the subscriber negotiated no RTX, within the
 * subscriber's retransmission budget ({@code bwe.RetransmissionBudget}). Packets
 * no longer held are not asked of the publisher again: by then they are too late to play.
 */
@Singleton
public class Retransmitter {

    private final Egress egress;
    private final Counter retransmitted;
    private final Counter missed;

    Retransmitter(Egress egress, MeterRegistry metrics) {
        this.egress = egress;
        this.retransmitted = Counter.builder("parley.media.retransmitted.packets")
                .description("Packets resent to subscribers from the cache, answering their NACKs")
                .register(metrics);
        this.missed = Counter.builder("parley.media.nack.misses")
                .description("Packets subscribers asked for that the cache no longer held")
                .register(metrics);
    }

    void resend(Session subscriber, Slot slot, List<Integer> sequenceNumbers) {
        if (slot.feed().isEmpty() || slot.rewrite().isEmpty() || slot.stream().isEmpty()) {
            return;
        }
        Feed feed = slot.feed().get();
        RtpRewrite rewrite = slot.rewrite().get();
        LayerSwitch stream = slot.stream().get();
        PublishedTrack track = feed.track();
        long now = System.nanoTime();
        for (int sequenceNumber : sequenceNumbers) {
            // The subscriber asks by the numbers it received: find the stream and number each came with.
            Optional<LayerSwitch.Origin> origin = stream.origin(sequenceNumber);
            Optional<byte[]> original = origin.flatMap(from -> feed.publisher().layerSsrc(track, from.layer()))
                    .flatMap(feed.publisher()::inbound)
                    .flatMap(cached -> cached.cached(origin.get().sequenceNumber(), now));
            if (original.isEmpty()) {
                missed.increment();
                continue;
            }
            byte[] packet = new byte[original.get().length + RtpRewrite.MAX_GROWTH + SrtpTransformer.MAX_TRAILER];
            int length = rewrite.apply(original.get(), 0, original.get().length, packet);
            if (length == RtpRewrite.NOT_FORWARDABLE) {
                continue;
            }
            RtpHeader.setStream(packet, 0, stream.ssrc(), sequenceNumber,
                    (RtpHeader.timestamp(packet, 0) + origin.get().timestampOffset()) & 0xFFFF_FFFFL);
            Optional<byte[]> rtx = rtxPayloadType(slot, RtpHeader.payloadType(packet, 0))
                    .flatMap(rtxType -> track.rtx().flatMap(rtxSsrc -> Rtx.wrap(packet, 0, length, rtxType,
                            rtxSsrc.value(), subscriber.nextRtxSequence(rtxSsrc))));
            // Ahead of the video the pacer holds; plain (no RTX), it stays in its stream's order.
            boolean sent = rtx.isPresent() ? egress.resendRtp(subscriber, rtx.get(), rtx.get().length, true)
                    : egress.resendRtp(subscriber, packet, length, false);
            if (sent) {
                retransmitted.increment();
            }
        }
    }

    /** The subscriber's RTX payload type for {@code mediaType}: the rtx codec whose apt names it (RFC 4588 §8.1). */
    private static Optional<Integer> rtxPayloadType(Slot slot, int mediaType) {
        return slot.format().codecs().stream()
                .filter(codec -> codec.is("rtx") && codec.associatedPayloadType().filter(apt -> apt == mediaType).isPresent())
                .map(RtpCodec::payloadType)
                .findFirst();
    }
}
