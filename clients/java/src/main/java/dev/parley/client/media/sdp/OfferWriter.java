package dev.parley.client.media.sdp;

import dev.parley.client.media.ice.IceCredentials;
import dev.parley.media.dtls.DtlsFingerprint;

import java.util.List;
import java.util.Optional;
import java.util.StringJoiner;

/**
 * Writes an offer as a browser's {@code createOffer} would in Unified Plan (RFC 8829 §5.2.1): one
 * {@code m=} section per transceiver, all in one BUNDLE group (RFC 8843 §7.2) with rtcp-mux
 * (RFC 5761 §5.1.1), the client's ICE credentials (RFC 8839 §5.4) and certificate fingerprint with
 * {@code a=setup:actpass} (RFC 8842 §5.1, RFC 8122 §5) in every section; no candidates (the relay
 * is ICE-lite and learns the client's address from its checks, RFC 8445 §7.3.1.3). Audio is Opus;
 * video VP8 with RTX, NACK, PLI and FIR feedback (RFC 4585 §4.2, RFC 5104 §7.1) and reduced-size
 * RTCP (RFC 5506 §5); sending sections
 * carry {@code a=msid} (RFC 8830 §2), {@code a=ssrc} (RFC 5576 §4.1) and for video
 * {@code a=ssrc-group:FID} (RFC 5576 §4.2, RFC 4588 §8.1).
 */
public final class OfferWriter {

    private static final String CRLF = "\r\n";
    /** Type preference 126 (host), local preference 65535, component 1 (RFC 8445 §5.1.2.1). */
    static final long HOST_PRIORITY = (126L << 24) | (65535L << 8) | (256 - 1);

    private final IceCredentials ice;
    private final DtlsFingerprint fingerprint;
    private final String cname;
    private final String streamId;
    private final long sessionId;

    /**
     * A writer for one client: its credentials and certificate, its RTCP CNAME (RFC 7022) and the
     * media stream id its tracks share (so audio and video play in sync), and the {@code o=}
     * session id that stays the same for every offer of the session (RFC 8866 §5.2).
     */
    public OfferWriter(IceCredentials ice, DtlsFingerprint fingerprint, String cname, String streamId, long sessionId) {
        this.ice = ice;
        this.fingerprint = fingerprint;
        this.cname = cname;
        this.streamId = streamId;
        this.sessionId = sessionId;
    }

    /** The offer of {@code sections}, in order; {@code version} grows with each offer (RFC 3264 §8). */
    public String offer(List<LocalSection> sections, int version) {
        return offer(sections, version, Optional.empty());
    }

    /**
     * The same, with the client's host {@code candidate} and {@code a=end-of-candidates} in every
     * section (RFC 8839 §5.1, §5.12): a full ICE peer (Janus) checks the client's address as soon
     * as it has the offer, without trickle.
     */
    public String offer(List<LocalSection> sections, int version, Optional<HostCandidate> candidate) {
        if (sections.isEmpty()) {
            throw new IllegalArgumentException("an offer needs at least one section");
        }
        StringBuilder sdp = new StringBuilder();
        line(sdp, "v=0");
        line(sdp, "o=- " + sessionId + " " + version + " IN IP4 127.0.0.1");
        line(sdp, "s=-");
        line(sdp, "t=0 0");
        StringJoiner bundle = new StringJoiner(" ", "a=group:BUNDLE ", "");
        sections.forEach(section -> bundle.add(section.mid()));
        line(sdp, bundle.toString());
        line(sdp, "a=msid-semantic: WMS " + streamId);
        for (LocalSection section : sections) {
            section(sdp, section);
            candidate.ifPresent(host -> candidateLines(sdp, host));
        }
        return sdp.toString();
    }

    private void section(StringBuilder sdp, LocalSection section) {
        boolean audio = section.kind() == MediaKind.AUDIO;
        line(sdp, "m=" + section.kind().sdpName() + " 9 UDP/TLS/RTP/SAVPF "
                + (audio ? Codecs.OPUS : Codecs.VP8 + " " + Codecs.VP8_RTX));
        line(sdp, "c=IN IP4 0.0.0.0");
        line(sdp, "a=rtcp:9 IN IP4 0.0.0.0");
        line(sdp, "a=ice-ufrag:" + ice.ufrag());
        line(sdp, "a=ice-pwd:" + ice.password());
        line(sdp, "a=fingerprint:" + fingerprint.sdpValue());
        line(sdp, "a=setup:actpass");
        line(sdp, "a=mid:" + section.mid());
        if (audio) {
            line(sdp, "a=extmap:" + Codecs.AUDIO_LEVEL_ID + " " + Codecs.AUDIO_LEVEL_URI);
        }
        line(sdp, "a=extmap:" + Codecs.MID_ID + " " + Codecs.MID_URI);
        line(sdp, "a=" + section.direction().attribute());
        section.trackId().ifPresent(track -> line(sdp, "a=msid:" + streamId + " " + track));
        line(sdp, "a=rtcp-mux");
        if (audio) {
            line(sdp, "a=rtpmap:" + Codecs.OPUS + " opus/" + Codecs.OPUS_CLOCK + "/2");
            line(sdp, "a=fmtp:" + Codecs.OPUS + " minptime=10;useinbandfec=1");
        } else {
            line(sdp, "a=rtcp-rsize");
            line(sdp, "a=rtpmap:" + Codecs.VP8 + " VP8/" + Codecs.VIDEO_CLOCK);
            line(sdp, "a=rtcp-fb:" + Codecs.VP8 + " ccm fir");
            line(sdp, "a=rtcp-fb:" + Codecs.VP8 + " nack");
            line(sdp, "a=rtcp-fb:" + Codecs.VP8 + " nack pli");
            line(sdp, "a=rtpmap:" + Codecs.VP8_RTX + " rtx/" + Codecs.VIDEO_CLOCK);
            line(sdp, "a=fmtp:" + Codecs.VP8_RTX + " apt=" + Codecs.VP8);
        }
        if (section.direction().sends()) {
            long ssrc = section.ssrc().orElseThrow();
            section.rtxSsrc().ifPresent(rtx -> line(sdp, "a=ssrc-group:FID " + ssrc + " " + rtx));
            ssrcLines(sdp, ssrc, section.trackId().orElseThrow());
            section.rtxSsrc().ifPresent(rtx -> ssrcLines(sdp, rtx, section.trackId().orElseThrow()));
        }
    }

    /** A host candidate line (RFC 8839 §5.1) with a host candidate's priority (RFC 8445 §5.1.2.1), then end-of-candidates. */
    static void candidateLines(StringBuilder sdp, HostCandidate host) {
        line(sdp, "a=candidate:1 1 udp " + HOST_PRIORITY + " " + host.address() + " " + host.port() + " typ host");
        line(sdp, "a=end-of-candidates");
    }

    private void ssrcLines(StringBuilder sdp, long ssrc, String trackId) {
        line(sdp, "a=ssrc:" + ssrc + " cname:" + cname);
        line(sdp, "a=ssrc:" + ssrc + " msid:" + streamId + " " + trackId);
    }

    static void line(StringBuilder sdp, String line) {
        sdp.append(line).append(CRLF);
    }
}
