package dev.parley.mediarelay.sdp;

import dev.parley.mediarelay.sdp.SdpOfferException.Reason;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which offered payload types the relay accepts, with the offer's numbers (RFC 8829 §5.3.1; RFC 3264
 * §6.1). The relay never decodes media, so it accepts every codec a subscriber can be expected to
 * decode: Opus for audio (RFC 7874 §3); for video VP8 (required, RFC 7742 §5) and VP9, AV1 and
 * H.264 when offered, each with its RTX payload types (RFC 4588 §8.1). RED, ULPFEC and other codecs
 * are left out.
 */
public final class CodecSelection {

    /**
     * The RTCP feedback the relay answers (RFC 4585 §4.2): generic NACK (§6.2.1), PLI (§6.3.1), FIR
     * (RFC 5104 §7.1) and, when the relay is configured for it, transport-wide congestion control feedback
     * (draft-holmer-rmcat-transport-wide-cc-extensions-01 §4) both ways: a subscriber reports the
     * relay's packets' arrivals and the relay estimates its bandwidth; the relay reports a
     * publisher's, and the browser estimates its uplink.
     */
    static final Set<String> FEEDBACK = Set.of("nack", "nack pli", "ccm fir");
    static final String TRANSPORT_CC = "transport-cc";

    private static final Set<String> VIDEO = Set.of("VP8", "VP9", "AV1", "H264");

    private CodecSelection() {
    }

    /** The accepted codecs of an audio or video section, in the offer's order. */
    public static List<RtpCodec> select(MediaSection section) {
        boolean audio = "audio".equals(section.kind());
        String required = audio ? "opus" : "VP8";
        if (section.codecs().stream().noneMatch(codec -> codec.is(required))) {
            throw new SdpOfferException(Reason.NO_COMMON_CODEC, "section " + section.mid().orElse("?")
                    + " does not offer " + required);
        }
        Set<Integer> media = section.codecs().stream()
                .filter(codec -> audio ? codec.is("opus") : VIDEO.stream().anyMatch(codec::is))
                .map(RtpCodec::payloadType)
                .collect(Collectors.toSet());
        return section.codecs().stream()
                .filter(codec -> media.contains(codec.payloadType())
                        || codec.is("rtx") && codec.associatedPayloadType().filter(media::contains).isPresent())
                .map(codec -> new RtpCodec(codec.payloadType(), codec.name(), codec.clock(), codec.fmtp(),
                        codec.rtcpFb().stream().filter(feedback -> FEEDBACK.contains(feedback)
                                || HeaderExtensionSelection.transportWideCc() && TRANSPORT_CC.equals(feedback)).toList()))
                .toList();
    }
}
