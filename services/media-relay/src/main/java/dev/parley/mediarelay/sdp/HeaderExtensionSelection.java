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

    /**
     * Audio level (RFC 6464, for speaker detection and for subscribers' own meters), MID (RFC 8843
     * §15.2, to demultiplex BUNDLE; rewritten to the subscriber's mid) and video orientation (3GPP
     * TS 26.114 §7.4.5, so subscribers rotate the picture). Transport-wide sequence numbers and
     * absolute send time describe one hop's timing: they come with the relay's own congestion
     * control (issue 7), not forwarded from another hop.
     */
    static final Set<String> URIS = Set.of(AUDIO_LEVEL, MID, VIDEO_ORIENTATION);

    private HeaderExtensionSelection() {
    }

    /**
     * The accepted extensions of a section, in the offer's order: the same set whether the client
     * sends on it or the relay does, each with the ids of that section's offer.
     */
    public static List<HeaderExtension> select(MediaSection section) {
        return section.extensions().stream().filter(extension -> URIS.contains(extension.uri())).toList();
    }
}
