package dev.parley.mediarelay.session;

import dev.parley.mediarelay.rtcp.NackTracker;
import dev.parley.mediarelay.rtcp.ReceptionStatistics;
import dev.parley.mediarelay.rtcp.ReportBlock;
import dev.parley.mediarelay.rtcp.RetransmissionCache;
import dev.parley.mediarelay.rtcp.SenderReport;
import dev.parley.mediarelay.rtp.MediaKind;
import dev.parley.mediarelay.rtp.PublishedTrack;
import dev.parley.mediarelay.rtp.RtpHeader;
import dev.parley.mediarelay.rtp.Ssrc;
import dev.parley.mediarelay.sdp.HeaderExtensionSelection;
import dev.parley.mediarelay.sdp.RtpCodec;

import java.time.Duration;
import java.util.Optional;

/**
 * What the relay keeps of one published media stream as its RTP receiver: reception statistics for
 * the receiver reports it owes the publisher (RFC 3550 §6.4.2), and for video its last 256 packets
 * (at most 3 s old), to answer subscribers' NACKs with retransmissions (RFC 4585 §6.2.1, RFC 4588),
 * and, when the publisher negotiated {@code nack}, which packets to ask it for again ({@link NackTracker}).
 * Fed by the media thread, read by the report and NACK timers and the RTCP handler: every method
 * is synchronized.
 */
public final class InboundStream {

    /**
     * About a second of 1.5 Mbit/s video in ~1,100-byte packets (RFC 4588 §8: long enough for one
     * RTT): what bounds the memory a stream's cache takes.
     */
    private static final int CACHED_PACKETS = 256;
    /**
     * How old a cached packet may get, for streams slower than that: a subscriber whose machine
     * stalled was seen asking for a packet first 1.1 s after the relay had it (its NACKs came in
     * bursts half a second apart), and a cache of one second had let it go; it costs no memory
     * beyond {@link #CACHED_PACKETS}.
     */
    private static final Duration CACHED_FOR = Duration.ofSeconds(3);

    private final Ssrc ssrc;
    private final ReceptionStatistics statistics;
    private final RetransmissionCache cache;
    private final NackTracker nacks;
    private final int audioLevelId;

    private final BitrateMeter bitrate = new BitrateMeter();
    private volatile int frameSize;

    InboundStream(PublishedTrack track) {
        this(track, track.ssrc());
    }

    /** The stream on {@code ssrc} of {@code track}: one of its simulcast streams. */
    InboundStream(PublishedTrack track, Ssrc ssrc) {
        this.ssrc = ssrc;
        this.statistics = new ReceptionStatistics(ssrc.value(), clockRate(track));
        this.cache = track.kind() == MediaKind.VIDEO ? new RetransmissionCache(CACHED_PACKETS, CACHED_FOR) : null;
        this.nacks = cache != null && negotiatedNack(track) ? new NackTracker(NackTracker.Settings.DEFAULT) : null;
        this.audioLevelId = track.kind() != MediaKind.AUDIO ? 0 : track.format()
                .map(format -> format.extensionId(HeaderExtensionSelection.AUDIO_LEVEL)).orElse(0);
    }

    /** The SSRC the stream arrives on. */
    public Ssrc ssrc() {
        return ssrc;
    }

    /**
     * The id of the RFC 6464 audio-level extension on this stream's packets, or 0 when it carries
     * none (video, or not negotiated): looked up once, read on every packet.
     */
    public int audioLevelId() {
        return audioLevelId;
    }

    /**
     * Records an unprotected RTP packet of the stream; whether packets are missing now, so the
     * stream needs {@link #nackRound}s until {@link #awaitsRecovery} says otherwise.
     */
    public synchronized boolean received(byte[] rtp, int offset, int length, long nowNanos) {
        statistics.onPacket(RtpHeader.sequenceNumber(rtp, offset), RtpHeader.timestamp(rtp, offset), nowNanos);
        bitrate.add(length, nowNanos);
        if (cache != null) {
            cache.put(rtp, offset, length, nowNanos);
        }
        if (nacks == null) {
            return false;
        }
        nacks.received(RtpHeader.sequenceNumber(rtp, offset), nowNanos);
        return nacks.outstanding();
    }

    /** Whether packets are missing or were given up on since the last {@link #nackRound}. */
    public synchronized boolean awaitsRecovery() {
        return nacks != null && nacks.outstanding();
    }

    /**
     * Takes a packet the publisher retransmitted (unwrapped from RTX) if the relay has not had it:
     * one that fills a gap the relay still asks for or recently gave up asking for
     * ({@link NackTracker.Arrival#LATE}: subscribers still ask for it), or one newer than any the
     * stream has brought. The last is no answer to a NACK but a browser's bandwidth probe: with transport-wide
     * feedback negotiated, libwebrtc pads up to a probe's rate with RTX copies of the packets it sent
     * last (RFC 4588 §4 framing), so when the network lost the latest original its copy can arrive
     * before anything newer shows the gap. Refused, that copy marked the sequence number received
     * and the packet was lost for every subscriber, whose NACKs then found no copy in the cache.
     * A taken packet joins the cache, so subscribers' NACKs find it. It stays out of the reception
     * statistics: the receiver reports tell the publisher's congestion control the loss of its path,
     * which a retransmission does not undo (libwebrtc's receivers count only the original stream
     * too). Whether the packet was taken, to be forwarded.
     */
    public synchronized boolean recovered(byte[] rtp, int offset, int length, long nowNanos) {
        if (nacks == null || nacks.received(RtpHeader.sequenceNumber(rtp, offset), nowNanos)
                == NackTracker.Arrival.NOT_MISSING) {
            return false;
        }
        cache.put(rtp, offset, length, nowNanos);
        return true;
    }

    /** Whether the relay asks the publisher for this stream's lost packets. */
    public boolean asksForRetransmissions() {
        return nacks != null;
    }

    /** The packets to NACK now and how many were given up since the last round (RFC 4585 §6.2.1). */
    public synchronized NackTracker.Round nackRound(long nowNanos) {
        return nacks == null ? NackTracker.Round.NOTHING : nacks.poll(nowNanos);
    }

    /** The stream's bit rate over the last second or so, in bit/s: what forwarding it costs a subscriber. */
    public synchronized long bitrate(long nowNanos) {
        return bitrate.bitsPerSecond(nowNanos);
    }

    /**
     * Records the picture size its last keyframe coded ({@code width << 16 | height}); a simulcast
     * stream's size is what a subscriber's rendered size is compared with.
     */
    public void keyframe(int size) {
        if (size != 0) {
            frameSize = size;
        }
    }

    /** The width of the stream's last keyframe, 0 before one. */
    public int frameWidth() {
        return frameSize >>> 16;
    }

    /** The height of the stream's last keyframe, 0 before one. */
    public int frameHeight() {
        return frameSize & 0xFFFF;
    }

    public synchronized void senderReport(SenderReport report, long nowNanos) {
        statistics.onSenderReport(report, nowNanos);
    }

    /** The report block for the next receiver report; empty before the first packet. */
    public synchronized Optional<ReportBlock> reportBlock(long nowNanos) {
        return statistics.reportBlock(nowNanos);
    }

    /** A copy of the packet with this sequence number, if it is still held. */
    public synchronized Optional<byte[]> cached(int sequenceNumber, long nowNanos) {
        return cache == null ? Optional.empty() : cache.get(sequenceNumber, nowNanos);
    }

    /** Whether the publisher's section accepted generic NACK feedback (RFC 4585 §4.2) on a codec. */
    private static boolean negotiatedNack(PublishedTrack track) {
        return track.format().map(format -> format.codecs().stream()
                .anyMatch(codec -> codec.rtcpFb().contains("nack"))).orElse(false);
    }

    /** The RTP clock rate of the track's codecs: 48 kHz for Opus (RFC 7587 §4.1), 90 kHz for video. */
    private static int clockRate(PublishedTrack track) {
        return track.format().flatMap(format -> format.codecs().stream().findFirst()).map(RtpCodec::clock)
                .map(clock -> Integer.parseInt(clock.split("/")[0]))
                .orElse(track.kind() == MediaKind.AUDIO ? 48_000 : 90_000);
    }
}
