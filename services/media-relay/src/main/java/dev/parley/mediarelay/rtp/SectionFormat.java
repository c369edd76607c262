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

    /** The codec a payload type names in this section. */
    public Optional<RtpCodec> codec(int payloadType) {
        return codecs.stream().filter(codec -> codec.payloadType() == payloadType).findFirst();
    }

    /** The id this section gave the extension {@code uri}, or 0 when it was not negotiated. */
    public int extensionId(String uri) {
        return extensions.stream().filter(extension -> extension.uri().equals(uri)).mapToInt(HeaderExtension::id)
                .findFirst().orElse(0);
    }
}
