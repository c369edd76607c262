package dev.parley.mediarelay.sdp;

import java.util.List;
import java.util.Set;

/**
 * Which offered RTP header extensions the relay accepts, with the offer's ids (RFC 8285 §7): those
 * an SFU reads or must pass on.
 */
public final class HeaderExtensionSelection {

    /**
     * Audio level (RFC 6464, for speaker detection), MID (RFC 8843 §15.2, to demultiplex BUNDLE),
     * transport-wide sequence numbers (for transport-cc feedback), absolute send time, and video
     * orientation (3GPP TS 26.114 §7.4.5, so subscribers rotate the picture).
     */
    static final Set<String> URIS = Set.of(
            "urn:ietf:params:rtp-hdrext:ssrc-audio-level",
            "urn:ietf:params:rtp-hdrext:sdes:mid",
            "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01",
            "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time",
            "urn:3gpp:video-orientation");

    private HeaderExtensionSelection() {
    }

    /** The accepted extensions of a section, in the offer's order. */
    public static List<HeaderExtension> select(MediaSection section) {
        return section.extensions().stream().filter(extension -> URIS.contains(extension.uri())).toList();
    }
}
