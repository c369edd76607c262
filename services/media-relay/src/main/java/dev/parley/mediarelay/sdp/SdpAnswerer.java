package dev.parley.mediarelay.sdp;

import dev.parley.media.dtls.DtlsFingerprint;
import dev.parley.mediarelay.ice.IceCredentials;
import dev.parley.mediarelay.rtp.Ssrc;
import dev.parley.mediarelay.session.SessionAnswer.Candidate;

import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Writes the relay's answer to an {@link SdpOffer} (RFC 8829 §5.3.1): the offer's sections in order;
 * audio and video bundled on the first mid (RFC 8843 §7.3) with rtcp-mux (RFC 5761 §5.1.3), the
 * relay's ICE-lite credentials (RFC 8839 §5.3, §5.4), its fingerprint with {@code a=setup:passive}
 * (RFC 8842 §5.1, RFC 5763 §5), the codecs of {@link CodecSelection}, the header extensions of
 * {@link HeaderExtensionSelection} and, per section, a {@link SectionAnswer} (by default
 * {@link Direction#answer()}: receive what the client sends, with the simulcast streams it offers,
 * RFC 8853 §5.3); other sections rejected with
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

    /** The answer that receives what the client sends and sends nothing, CRLF-terminated (RFC 8866 §5). */
    public String answer(SdpOffer offer, long sessionVersionId) {
        return answer(offer, sessionVersionId, 1, Map.of());
    }

    /**
     * The answer, CRLF-terminated lines (RFC 8866 §5), with {@code plans} per mid; {@code version}
     * grows with each answer of one session (RFC 3264 §8: {@code o=} version on renegotiation).
     */
    public String answer(SdpOffer offer, long sessionVersionId, long version, Map<String, SectionAnswer> plans) {
        List<MediaSection> bundled = offer.sections().stream().filter(MediaSection::isRtp).toList();
        StringBuilder sdp = new StringBuilder();
        line(sdp, "v=0");
        line(sdp, "o=- " + sessionVersionId + " " + version + " IN IP4 " + candidate.address());
        line(sdp, "s=-");
        line(sdp, "t=0 0");
        StringJoiner group = new StringJoiner(" ", "a=group:BUNDLE ", "");
        bundled.forEach(section -> group.add(section.mid().orElseThrow()));
        line(sdp, group.toString());
        line(sdp, "a=ice-lite");
        for (MediaSection section : offer.sections()) {
            if (section.isRtp()) {
                SectionAnswer plan = plans.getOrDefault(section.mid().orElseThrow(), section.direction().offererSends()
                        ? new SectionAnswer.Receive() : new SectionAnswer.Inactive());
                media(sdp, section, plan, section == bundled.get(0));
            } else {
                line(sdp, "m=" + section.kind() + " 0 " + section.protocol() + " " + String.join(" ", section.formats()));
                section.mid().ifPresent(mid -> line(sdp, "a=mid:" + mid));
            }
        }
        return sdp.toString();
    }

    private void media(StringBuilder sdp, MediaSection section, SectionAnswer plan, boolean bundleTag) {
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
        line(sdp, "a=" + direction(plan).attribute());
        if (plan instanceof SectionAnswer.Send send) {
            line(sdp, "a=msid:" + send.streamId() + " " + send.trackId());
        }
        HeaderExtensionSelection.select(section)
                .forEach(extension -> line(sdp, "a=extmap:" + extension.id() + " " + extension.uri()));
        for (RtpCodec codec : codecs) {
            line(sdp, "a=rtpmap:" + codec.payloadType() + " " + codec.name() + "/" + codec.clock());
            codec.rtcpFb().forEach(feedback -> line(sdp, "a=rtcp-fb:" + codec.payloadType() + " " + feedback));
            codec.fmtp().ifPresent(fmtp -> line(sdp, "a=fmtp:" + codec.payloadType() + " " + fmtp));
        }
        if (plan instanceof SectionAnswer.Receive && section.simulcast()) {
            // RFC 8853 §5.3: the answerer receives the offered streams, reversing each rid's direction.
            section.simulcastRids().forEach(rid -> line(sdp, "a=rid:" + rid + " recv"));
            line(sdp, "a=simulcast:recv " + String.join(";", section.simulcastRids()));
        }
        if (plan instanceof SectionAnswer.Send send) {
            boolean rtx = send.rtx().isPresent() && codecs.stream().anyMatch(codec -> codec.is("rtx"));
            if (rtx) {
                line(sdp, "a=ssrc-group:FID " + send.ssrc() + " " + send.rtx().get());
            }
            ssrc(sdp, send.ssrc(), send);
            if (rtx) {
                ssrc(sdp, send.rtx().get(), send);
            }
        }
        if (bundleTag) {
            line(sdp, "a=candidate:" + candidate.foundation() + " " + candidate.component() + " "
                    + candidate.protocol() + " " + candidate.priority() + " " + candidate.address() + " "
                    + candidate.port() + " typ " + candidate.type());
            line(sdp, "a=end-of-candidates");
        }
    }

    private static Direction direction(SectionAnswer plan) {
        if (plan instanceof SectionAnswer.Receive) {
            return Direction.RECVONLY;
        }
        return plan instanceof SectionAnswer.Send ? Direction.SENDONLY : Direction.INACTIVE;
    }

    /** {@code a=ssrc} with the cname (RFC 7022) and msid of the stream, as browsers write them. */
    private static void ssrc(StringBuilder sdp, Ssrc ssrc, SectionAnswer.Send send) {
        line(sdp, "a=ssrc:" + ssrc + " cname:" + send.streamId());
        line(sdp, "a=ssrc:" + ssrc + " msid:" + send.streamId() + " " + send.trackId());
    }

    private static void line(StringBuilder sdp, String line) {
        sdp.append(line).append(CRLF);
    }
}
