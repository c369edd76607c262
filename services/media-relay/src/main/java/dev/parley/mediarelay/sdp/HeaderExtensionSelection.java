package dev.parley.mediarelay.sdp;

import java.util.List;
import java.util.Set;

/**
 * Which offered RTP header extensions the relay accepts, with the offer's ids (RFC 8285 §7): those
 * it reads or passes on to subscribers, where it rewrites their ids to the subscriber's.
 */
public final class HeaderExtensionSelection {

    public static final String AUDIO_LEVEL = "urn:ietf:params:rtp-hdrext:ssrc-audio-level";
    public static final String MID = "urn:ietf:params:rtp-hdrext:sdes:mid";
    public static final String VIDEO_ORIENTATION = "urn:3gpp:video-orientation";
    public static final String RTP_STREAM_ID = "urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id";
    public static final String REPAIRED_RTP_STREAM_ID = "urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id";
    public static final String TRANSPORT_WIDE_CC =
            "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01";

    /**
     * Audio level (RFC 6464, for speaker detection and for subscribers' own meters), MID (RFC 8843
     * §15.2, to demultiplex BUNDLE; rewritten to the subscriber's mid) and video orientation (3GPP
     * TS 26.114 §7.4.5, so subscribers rotate the picture). Transport-wide sequence numbers and
     * absolute send time describe one hop's timing: they come with the relay's own congestion
     * control (issue 7), not forwarded from another hop.
     */
    static final Set<String> URIS = Set.of(AUDIO_LEVEL, MID, VIDEO_ORIENTATION);

    /**
     * On a section the client sends simulcast on, the RID and repaired RID (RFC 8852 §3, §4) name
     * each packet's simulcast stream, from which the relay learns the streams' SSRCs.
     */
    static final Set<String> SIMULCAST_URIS = Set.of(RTP_STREAM_ID, REPAIRED_RTP_STREAM_ID);

    /**
     * The relay numbers the packets it sends for transport-wide congestion control
     * (draft-holmer-rmcat-transport-wide-cc-extensions-01 §2) and estimates the subscriber's
     * bandwidth from the feedback. Accepted on every section, the client's sending ones too:
     * Chromium negotiates an extension for the whole BUNDLE, and offers it on no later section once
     * an answer has left it out. A publisher's own numbers are not passed on ({@code RtpRewrite}),
     * and without {@code transport-cc} feedback on its sections it relies on receiver reports.
     */
    static final Set<String> BUNDLE_URIS = Set.of(TRANSPORT_WIDE_CC);

    private static volatile boolean transportWideCc;

    /** Whether transport-wide congestion control is negotiated (configuration, set once at start). */
    public static void transportWideCc(boolean enabled) {
        transportWideCc = enabled;
    }

    static boolean transportWideCc() {
        return transportWideCc;
    }

    private HeaderExtensionSelection() {
    }

    /**
     * The accepted extensions of a section, in the offer's order: the same set whether the client
     * sends on it or the relay does, each with the ids of that section's offer.
     */
    public static List<HeaderExtension> select(MediaSection section) {
        return section.extensions().stream().filter(extension -> URIS.contains(extension.uri())
                || section.simulcast() && SIMULCAST_URIS.contains(extension.uri())
                || transportWideCc && BUNDLE_URIS.contains(extension.uri())).toList();
    }
}
