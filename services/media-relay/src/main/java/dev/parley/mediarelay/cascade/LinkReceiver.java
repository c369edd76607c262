package dev.parley.mediarelay.cascade;

import dev.parley.media.srtp.SrtpPacket;
import dev.parley.mediarelay.forward.KeyframeRequester;
import dev.parley.mediarelay.forward.RtcpHandler;
import dev.parley.mediarelay.forward.RtpForwarder;
import dev.parley.mediarelay.rtcp.FullIntraRequest;
import dev.parley.mediarelay.rtcp.GenericNack;
import dev.parley.mediarelay.rtcp.MalformedRtcpException;
import dev.parley.mediarelay.rtcp.PictureLossIndication;
import dev.parley.mediarelay.rtcp.RtcpCompound;
import dev.parley.mediarelay.rtcp.RtcpPacket;
import dev.parley.mediarelay.rtcp.SenderReport;
import dev.parley.mediarelay.rtp.PublishedTrack;
import dev.parley.mediarelay.rtp.RtpHeader;
import dev.parley.mediarelay.rtp.Ssrc;
import dev.parley.mediarelay.session.Session;
import dev.parley.mediarelay.session.SessionRegistry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;

import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * What other relays send this one over links, from their media ports: RTP of their participants'
 * tracks, handed to the {@link RtpForwarder} as published by the participant's stand-in (so the
 * local subscribers' slots receive it rewritten, and the stand-in's retransmission cache answers
 * their NACKs), retransmissions (RTX) of it included, which the stand-in's loss recovery asked
 * for; and RTCP: keyframe requests (PLI, RFC 4585 §6.3.1; FIR, RFC 5104 §4.3.1) for this relay's
 * publishers are passed on to them, NACKs for their tracks answered from the cache
 * ({@link LinkRetransmitter}), and sender reports of the other relay's publishers (RFC 3550 §6.4.1)
 * passed on to the local subscribers as any publisher's ({@link RtcpHandler#senderReport}).
 * Runs on the media thread.
 */
@Singleton
public class LinkReceiver {

    private final Links links;
    private final RtpForwarder forwarder;
    private final RtcpHandler rtcp;
    private final KeyframeRequester keyframes;
    private final LinkRetransmitter retransmitter;
    private final SessionRegistry sessions;
    private final Counter received;
    private final MeterRegistry metrics;

    LinkReceiver(Links links, RtpForwarder forwarder, RtcpHandler rtcp, KeyframeRequester keyframes,
                 LinkRetransmitter retransmitter, SessionRegistry sessions, MeterRegistry metrics) {
        this.links = links;
        this.rtcp = rtcp;
        this.retransmitter = retransmitter;
        this.forwarder = forwarder;
        this.keyframes = keyframes;
        this.sessions = sessions;
        this.metrics = metrics;
        this.received = Counter.builder("parley.media.cascade.link.packets").tag("direction", "in")
                .description("RTP and RTCP packets sent to (out) or received from (in) other relays over links")
                .register(metrics);
    }

    /**
     * Handles an SRTP or SRTCP datagram from {@code from}, if a linked relay sends from there;
     * {@code false} if none does (the caller counts the drop). {@code data} is reused once this returns.
     */
    public boolean onDatagram(byte[] data, int length, InetSocketAddress from) {
        List<Link> candidates = links.from(from);
        if (candidates.isEmpty()) {
            return false;
        }
        if (RtpHeader.isRtcp(data, 0, length)) {
            onRtcp(candidates, data, length);
        } else if (RtpHeader.isValidRtp(data, 0, length)) {
            onRtp(candidates, data, length);
        } else {
            drop("malformed");
        }
        return true;
    }

    private void onRtp(List<Link> candidates, byte[] data, int length) {
        Ssrc ssrc = RtpHeader.rtpSsrc(data, 0);
        for (Link link : candidates) {
            Optional<Session> standIn = link.standIn(ssrc);
            if (standIn.isEmpty()) {
                continue;
            }
            Optional<PublishedTrack> track = standIn.get().track(ssrc);
            SrtpPacket packet = new SrtpPacket(Arrays.copyOf(data, length), 0, length);
            if (track.isEmpty() || link.srtp().isEmpty() || !link.srtp().get().unprotectRtp(packet)) {
                drop("srtp-invalid");
                return;
            }
            received.increment();
            forwarder.forward(standIn.get(), track.get(), ssrc, packet);
            return;
        }
        drop("unknown-ssrc");
    }

    /** The sender SSRC of the other relay's RTCP is its own: the link is found by whose key authenticates it. */
    private void onRtcp(List<Link> candidates, byte[] data, int length) {
        for (Link link : candidates) {
            SrtpPacket packet = new SrtpPacket(Arrays.copyOf(data, length), 0, length);
            if (link.srtp().isEmpty() || !link.srtp().get().unprotectRtcp(packet)) {
                continue;
            }
            received.increment();
            try {
                for (RtcpPacket rtcp : RtcpCompound.parse(packet.getBuffer(), packet.getOffset(), packet.getLength())) {
                    switch (rtcp.kind()) {
                        case PICTURE_LOSS_INDICATION -> keyframe(link, PictureLossIndication.parse(rtcp).mediaSsrc());
                        case FULL_INTRA_REQUEST -> FullIntraRequest.parse(rtcp).entries()
                                .forEach(entry -> keyframe(link, entry.ssrc()));
                        case GENERIC_NACK -> nack(link, GenericNack.parse(rtcp));
                        case SENDER_REPORT -> senderReport(link, SenderReport.parse(rtcp));
                        default -> { } // receiver reports describe the link hop only
                    }
                }
            } catch (MalformedRtcpException e) {
                drop("malformed");
            }
            return;
        }
        drop("srtp-invalid");
    }

    /**
     * A sender report of one of the other relay's participants' streams (RFC 3550 §6.4.1), already
     * in the SSRC and timestamps of the link: to the local subscribers as a local publisher's.
     */
    private void senderReport(Link link, SenderReport report) {
        Ssrc ssrc = new Ssrc(report.senderSsrc());
        link.standIn(ssrc).filter(standIn -> standIn.track(ssrc).filter(track -> track.ssrc().equals(ssrc)).isPresent())
                .ifPresent(standIn -> rtcp.senderReport(standIn, report, System.nanoTime()));
    }

    /** Asks this relay's publisher of {@code media} in the link's room for a keyframe of the stream the link carries. */
    private void keyframe(Link link, long media) {
        publisher(link, media).ifPresent(publisher -> {
            PublishedTrack track = publisher.track(new Ssrc(media)).orElseThrow();
            link.feed(track.ssrc()).flatMap(feed -> LinkFeeds.keyframeStream(publisher, track, feed))
                    .ifPresent(forwarded -> keyframes.request(publisher, forwarded));
        });
    }

    /** The other relay lost packets of a local publisher's track on the link: resent from the cache. */
    private void nack(Link link, GenericNack nack) {
        publisher(link, nack.mediaSsrc()).ifPresent(publisher -> retransmitter.resend(link, publisher,
                publisher.track(new Ssrc(nack.mediaSsrc())).orElseThrow(), nack.lostSequenceNumbers()));
    }

    /** This relay's participant in the link's room that publishes the track whose media SSRC is {@code media}. */
    private Optional<Session> publisher(Link link, long media) {
        Ssrc ssrc = new Ssrc(media);
        return sessions.inRoom(link.room()).stream()
                .filter(session -> session.track(ssrc).filter(track -> track.ssrc().equals(ssrc)).isPresent())
                .filter(session -> !links.isStandIn(session))
                .findFirst();
    }

    private void drop(String reason) {
        Counter.builder("parley.media.cascade.link.dropped").tag("reason", reason)
                .description("Packets from linked relays dropped: malformed, srtp-invalid or unknown-ssrc")
                .register(metrics).increment();
    }
}
