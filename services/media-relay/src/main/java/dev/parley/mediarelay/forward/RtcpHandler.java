package dev.parley.mediarelay.forward;

import dev.parley.media.srtp.SrtpPacket;
import dev.parley.media.srtp.SrtpTransformer;
import dev.parley.mediarelay.rtcp.FullIntraRequest;
import dev.parley.mediarelay.rtcp.GenericNack;
import dev.parley.mediarelay.rtcp.MalformedRtcpException;
import dev.parley.mediarelay.rtcp.PictureLossIndication;
import dev.parley.mediarelay.rtcp.RtcpCompound;
import dev.parley.mediarelay.rtcp.RtcpPacket;
import dev.parley.mediarelay.rtcp.SenderReport;
import dev.parley.mediarelay.rtcp.TransportFeedback;
import dev.parley.mediarelay.bwe.CongestionControl;
import dev.parley.mediarelay.cascade.Links;
import dev.parley.mediarelay.rtp.PublishedTrack;
import dev.parley.mediarelay.rtp.Ssrc;
import dev.parley.mediarelay.simulcast.LayerSwitch;
import dev.parley.mediarelay.session.InboundStream;
import dev.parley.mediarelay.session.Session;
import dev.parley.mediarelay.session.SessionRegistry;
import dev.parley.mediarelay.session.Slot;
import dev.parley.mediarelay.transport.DropReason;
import dev.parley.mediarelay.transport.DroppedPackets;
import jakarta.inject.Singleton;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The RTCP a session sends the relay (RFC 3550 §6, RFC 4585), after SRTCP (RFC 3711 §3.4). The
 * relay terminates RTCP, as an SFU must, and passes on only what the other end needs:
 * <ul>
 *   <li>a publisher's sender report goes to the subscribers that receive its stream, without report
 *       blocks (they describe the publisher's own reception), in the SSRC and timestamps of each
 *       subscriber's section, so they can synchronise audio and video
 *       (RFC 3550 §6.4.1), and over the room's links to other relays; the relay also keeps its
 *       time for its own receiver reports;</li>
 *   <li>a subscriber's NACK (RFC 4585 §6.2.1) is answered from the relay's cache, as RTX
 *       (RFC 4588) when the subscriber negotiated it;</li>
 *   <li>a subscriber's PLI or FIR becomes the relay's PLI to the publisher for the stream it
 *       forwards, rate-limited;</li>
 *   <li>a subscriber's transport-wide congestion control feedback feeds its bandwidth estimate;</li>
 *   <li>receiver reports, SDES, BYE and the rest end here.</li>
 * </ul>
 */
@Singleton
public class RtcpHandler {

    private final SessionRegistry sessions;
    private final Egress egress;
    private final KeyframeRequester keyframes;
    private final Retransmitter retransmitter;
    private final DroppedPackets dropped;
    private final CongestionControl congestion;
    private final Links links;

    RtcpHandler(SessionRegistry sessions, Egress egress, KeyframeRequester keyframes, Retransmitter retransmitter,
                DroppedPackets dropped, CongestionControl congestion, Links links) {
        this.congestion = congestion;
        this.links = links;
        this.sessions = sessions;
        this.egress = egress;
        this.keyframes = keyframes;
        this.retransmitter = retransmitter;
        this.dropped = dropped;
    }

    /** Handles one SRTCP datagram from {@code from}'s nominated address. */
    public void onRtcp(Session from, byte[] data, int length) {
        Optional<SrtpTransformer> srtp = from.srtp();
        SrtpPacket packet = new SrtpPacket(Arrays.copyOf(data, length), 0, length);
        if (srtp.isEmpty() || !srtp.get().unprotectRtcp(packet)) {
            dropped.count(DropReason.SRTP_INVALID);
            return;
        }
        List<RtcpPacket> compound;
        try {
            compound = RtcpCompound.parse(packet.getBuffer(), packet.getOffset(), packet.getLength());
        } catch (MalformedRtcpException e) {
            dropped.count(DropReason.RTCP_MALFORMED);
            return;
        }
        long now = System.nanoTime();
        for (RtcpPacket rtcp : compound) {
            try {
                switch (rtcp.kind()) {
                    case SENDER_REPORT -> senderReport(from, SenderReport.parse(rtcp), now);
                    case GENERIC_NACK -> nack(from, GenericNack.parse(rtcp));
                    case PICTURE_LOSS_INDICATION, FULL_INTRA_REQUEST -> keyframe(from, rtcp);
                    case TRANSPORT_WIDE_CC -> congestion.onFeedback(from, TransportFeedback.parse(rtcp));
                    default -> { } // receiver reports, SDES, BYE, REMB: for this hop only
                }
            } catch (MalformedRtcpException e) {
                dropped.count(DropReason.RTCP_MALFORMED);
            }
        }
    }

    /**
     * A publisher's sender report: kept for the receiver reports, passed on to the subscribers whose
     * slots forward that stream and, for a local publisher, over the room's links to the other
     * relays' subscribers ({@link Links#senderReport}). {@code publisher} may be the stand-in of
     * another relay's participant, whose report came over a link.
     */
    public void senderReport(Session publisher, SenderReport report, long now) {
        Ssrc ssrc = new Ssrc(report.senderSsrc());
        Optional<InboundStream> stream = publisher.inbound(ssrc);
        if (stream.isEmpty()) {
            return; // not a stream this session publishes
        }
        stream.get().senderReport(report, now);
        Optional<PublishedTrack> track = publisher.track(ssrc);
        int layer = publisher.learned(ssrc).map(Session.LearnedStream::layer).orElse(0);
        if (track.isEmpty()) {
            return;
        }
        publisher.room().filter(links::linked).filter(room -> !links.isStandIn(publisher))
                .ifPresent(room -> links.senderReport(room, track.get(), layer, report));
        publisher.room().ifPresent(room -> {
            for (Session subscriber : sessions.inRoom(room)) {
                if (subscriber == publisher) {
                    continue;
                }
                // Only the report of the stream the section forwards, in the section's SSRC and timestamps.
                subscriber.slotFor(track.get().ssrc()).flatMap(Slot::stream)
                        .flatMap(forwarded -> forwarded.timestampOffset(layer).map(offset -> new SenderReport(forwarded.ssrc(),
                                report.ntpTimestamp(), (report.rtpTimestamp() + offset) & 0xFFFF_FFFFL,
                                report.packetCount(), report.octetCount(), List.of())))
                        .ifPresent(passedOn -> egress.sendRtcp(subscriber, List.of(passedOn)));
            }
        });
    }

    private void nack(Session subscriber, GenericNack nack) {
        subscriber.slotFor(new Ssrc(nack.mediaSsrc()))
                .ifPresent(slot -> retransmitter.resend(subscriber, slot, nack.lostSequenceNumbers()));
    }

    /** PLI names its stream in the header (RFC 4585 §6.3.1), FIR in each entry (RFC 5104 §4.3.1.2). */
    private void keyframe(Session subscriber, RtcpPacket rtcp) throws MalformedRtcpException {
        List<Long> media = switch (rtcp.kind()) {
            case PICTURE_LOSS_INDICATION ->
                    List.of(PictureLossIndication.parse(rtcp).mediaSsrc());
            default -> FullIntraRequest.parse(rtcp).entries().stream()
                    .map(FullIntraRequest.Entry::ssrc).toList();
        };
        for (long ssrc : media) {
            subscriber.slotFor(new Ssrc(ssrc)).ifPresent(slot -> slot.feed().ifPresent(feed -> slot.stream()
                    .map(stream -> stream.current() != LayerSwitch.PAUSED ? stream.current() : stream.target())
                    .flatMap(layer -> feed.publisher().layerSsrc(feed.track(), layer))
                    .ifPresent(layerSsrc -> keyframes.request(feed.publisher(), layerSsrc))));
        }
    }
}
