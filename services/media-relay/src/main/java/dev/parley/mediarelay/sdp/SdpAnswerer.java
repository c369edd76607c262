package dev.parley.mediarelay.sdp;

import dev.parley.mediarelay.dtls.DtlsFingerprint;
import dev.parley.mediarelay.ice.IceCredentials;
import dev.parley.mediarelay.session.SessionAnswer.Candidate;

import java.util.List;
import java.util.StringJoiner;

/**
 * Writes the relay's answer to an {@link SdpOffer} (RFC 8829 §5.3.1): the offer's sections in order;
 * audio and video bundled on the first mid (RFC 8843 §7.3) with rtcp-mux (RFC 5761 §5.1.3), the
 * relay's ICE-lite credentials (RFC 8839 §5.3, §5.4), its fingerprint with {@code a=setup:passive}
 * (RFC 8842 §5.1, RFC 5763 §5), the codecs of {@link CodecSelection}, the header extensions of
 * {@link HeaderExtensionSelection} and {@link Direction#answer()}; other sections rejected with
 * port zero (RFC 3264 §6). Every bundled section repeats the transport attributes and the media
 * port, as browsers' own answers do; the one host candidate is on the first.
 */
public final class SdpAnswerer {

    private static final String CRLF = "\r\n";

    private final IceCredentials ice;
    private final DtlsFingerprint fingerprint;
    private final Candidate candidate;

    /** An answerer for the relay's transport: its credentials, certificate and host candidate. */
    public SdpAnswerer(IceCredentials ice, DtlsFingerprint fingerprint, Candidate candidate) {
        this.ice = ice;
        this.fingerprint = fingerprint;
        this.candidate = candidate;
    }

    /** The answer, CRLF-terminated lines (RFC 8866 §5). */
    public String answer(SdpOffer offer, long sessionVersionId) {
        List<MediaSection> bundled = offer.sections().stream().filter(MediaSection::isRtp).toList();
        StringBuilder sdp = new StringBuilder();
        line(sdp, "v=0");
        line(sdp, "o=- " + sessionVersionId + " 1 IN IP4 " + candidate.address());
        line(sdp, "s=-");
        line(sdp, "t=0 0");
        StringJoiner group = new StringJoiner(" ", "a=group:BUNDLE ", "");
        bundled.forEach(section -> group.add(section.mid().orElseThrow()));
        line(sdp, group.toString());
        line(sdp, "a=ice-lite");
        for (MediaSection section : offer.sections()) {
            if (section.isRtp()) {
                media(sdp, section, section == bundled.get(0));
            } else {
                line(sdp, "m=" + section.kind() + " 0 " + section.protocol() + " " + String.join(" ", section.formats()));
                section.mid().ifPresent(mid -> line(sdp, "a=mid:" + mid));
            }
        }
        return sdp.toString();
    }

    private void media(StringBuilder sdp, MediaSection section, boolean bundleTag) {
        List<RtpCodec> codecs = CodecSelection.select(section);
        StringJoiner formats = new StringJoiner(" ");
        codecs.forEach(codec -> formats.add(Integer.toString(codec.payloadType())));
        line(sdp, "m=" + section.kind() + " " + candidate.port() + " " + section.protocol() + " " + formats);
        line(sdp, "c=IN IP4 " + candidate.address());
        line(sdp, "a=mid:" + section.mid().orElseThrow());
        line(sdp, "a=ice-ufrag:" + ice.ufrag());
        line(sdp, "a=ice-pwd:" + ice.password());
        line(sdp, "a=fingerprint:" + fingerprint.algorithm() + " " + fingerprint.value());
        line(sdp, "a=setup:passive");
        line(sdp, "a=rtcp-mux");
        line(sdp, "a=" + section.direction().answer().attribute());
        HeaderExtensionSelection.select(section)
                .forEach(extension -> line(sdp, "a=extmap:" + extension.id() + " " + extension.uri()));
        for (RtpCodec codec : codecs) {
            line(sdp, "a=rtpmap:" + codec.payloadType() + " " + codec.name() + "/" + codec.clock());
            codec.rtcpFb().forEach(feedback -> line(sdp, "a=rtcp-fb:" + codec.payloadType() + " " + feedback));
            codec.fmtp().ifPresent(fmtp -> line(sdp, "a=fmtp:" + codec.payloadType() + " " + fmtp));
        }
        if (bundleTag) {
            line(sdp, "a=candidate:" + candidate.foundation() + " " + candidate.component() + " "
                    + candidate.protocol() + " " + candidate.priority() + " " + candidate.address() + " "
                    + candidate.port() + " typ " + candidate.type());
            line(sdp, "a=end-of-candidates");
        }
    }

    private static void line(StringBuilder sdp, String line) {
        sdp.append(line).append(CRLF);
    }
}
