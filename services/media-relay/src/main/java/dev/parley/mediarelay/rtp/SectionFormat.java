package dev.parley.mediarelay.rtp;

import dev.parley.mediarelay.sdp.HeaderExtension;
import dev.parley.mediarelay.sdp.RtpCodec;

import java.util.List;
import java.util.Optional;

/**
 * How RTP looks on one negotiated media section of one session: its mid, the payload types the
 * answer accepted (RFC 3264 §6.1: the offerer's numbers) and the header extension ids (RFC 8285
 * §5). A publisher's and a subscriber's sections are negotiated separately, so the same codec or
 * extension may carry different numbers on each: the forwarder maps one onto the other.
 */
public record SectionFormat(String mid, List<RtpCodec> codecs, List<HeaderExtension> extensions) {

    public SectionFormat {
        codecs = List.copyOf(codecs);
        extensions = List.copyOf(extensions);
    }

    /**
     * The codec a payload type names in this section. Looked up for every packet the relay
     * forwards, so a plain loop: a stream pipeline would allocate its stages each time.
     */
    public Optional<RtpCodec> codec(int payloadType) {
        for (int i = 0; i < codecs.size(); i++) {
            if (codecs.get(i).payloadType() == payloadType) {
                return Optional.of(codecs.get(i));
            }
        }
        return Optional.empty();
    }

    /** The id this section gave the extension {@code uri}, or 0 when it was not negotiated; a loop, as {@link #codec}. */
    public int extensionId(String uri) {
        for (int i = 0; i < extensions.size(); i++) {
            if (extensions.get(i).uri().equals(uri)) {
                return extensions.get(i).id();
            }
        }
        return 0;
    }
}
