package dev.parley.mediarelay.sdp;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One offered {@code m=} section (RFC 8866 §5.14) with what the relay reads of it: its mid
 * (RFC 8843 §14), direction, rtcp-mux, codecs in the m-line's order, header extensions, the SSRCs
 * it sends ({@code a=ssrc}, RFC 5576 §4.1) with their RTX pairs ({@code a=ssrc-group:FID}, RFC 5576
 * §4.2, RFC 4588 §8.1), the RIDs of the simulcast streams it sends ({@code a=simulcast:send} with
 * {@code a=rid:... send}, RFC 8853 §5.1, RFC 8851 §4; empty without simulcast), and its transport
 * attributes, which Chromium repeats in every section.
 */
public record MediaSection(String kind,
                           int port,
                           String protocol,
                           List<String> formats,
                           Optional<String> mid,
                           Direction direction,
                           boolean rtcpMux,
                           List<RtpCodec> codecs,
                           List<HeaderExtension> extensions,
                           List<Long> ssrcs,
                           Map<Long, Long> rtxByMediaSsrc,
                           List<String> simulcastRids,
                           Transport transport) {

    public MediaSection {
        simulcastRids = List.copyOf(simulcastRids);
    }

    /** A section without simulcast. */
    public MediaSection(String kind, int port, String protocol, List<String> formats, Optional<String> mid,
                        Direction direction, boolean rtcpMux, List<RtpCodec> codecs, List<HeaderExtension> extensions,
                        List<Long> ssrcs, Map<Long, Long> rtxByMediaSsrc, Transport transport) {
        this(kind, port, protocol, formats, mid, direction, rtcpMux, codecs, extensions, ssrcs, rtxByMediaSsrc,
                List.of(), transport);
    }

    /** Whether the offerer sends simulcast on this section (RFC 8853 §5.1). */
    public boolean simulcast() {
        return !simulcastRids.isEmpty();
    }

    /**
     * Whether the relay answers this section: an RTP audio or video section that is not rejected
     * (port zero, RFC 3264 §6). Others, data channels included, are rejected in the answer.
     */
    public boolean isRtp() {
        return ("audio".equals(kind) || "video".equals(kind)) && protocol.contains("RTP") && port != 0;
    }
}
