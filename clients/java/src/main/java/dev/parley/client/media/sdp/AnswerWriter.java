package dev.parley.client.media.sdp;

import dev.parley.client.media.dtls.DtlsRole;
import dev.parley.client.media.ice.IceCredentials;
import dev.parley.media.dtls.DtlsFingerprint;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Writes a receive-only client's answer to an SFU's offer (RFC 8829 §5.3.1, RFC 3264 §6), as a
 * browser that only watches would: Janus's VideoRoom offers a subscriber one section per
 * forwarded track. Each audio section is accepted with the offer's Opus payload types, each video
 * section with its VP8 ones (no RTX: this client never asks for retransmissions), both
 * {@code recvonly} (the reverse of the offer's {@code sendonly}, RFC 3264 §6.1); other sections, and
 * sections without a codec we take, are rejected with port 0. All accepted sections are in one
 * BUNDLE group (RFC 8843 §7.3) with rtcp-mux, the client's ICE credentials, certificate fingerprint,
 * the {@code a=setup} of its DTLS role (RFC 8842 §5.1) and its host candidate; the mid and audio
 * level header extensions are kept with the offer's ids (RFC 8285 §5).
 */
public final class AnswerWriter {

    private final IceCredentials ice;
    private final DtlsFingerprint fingerprint;
    private final long sessionId;

    public AnswerWriter(IceCredentials ice, DtlsFingerprint fingerprint, long sessionId) {
        this.ice = ice;
        this.fingerprint = fingerprint;
        this.sessionId = sessionId;
    }

    /** The answer to {@code offer}, with our DTLS {@code role} and host {@code candidate}. */
    public String answer(RemoteDescription offer, DtlsRole role, HostCandidate candidate) {
        List<String> bundled = new ArrayList<>();
        StringBuilder sections = new StringBuilder();
        for (RemoteSection section : offer.sections()) {
            List<Integer> types = accepted(section);
            if (types.isEmpty()) {
                rejected(sections, section);
                continue;
            }
            bundled.add(section.mid());
            accepted(sections, section, types, role, candidate);
        }
        StringBuilder sdp = new StringBuilder();
        OfferWriter.line(sdp, "v=0");
        OfferWriter.line(sdp, "o=- " + sessionId + " 1 IN IP4 127.0.0.1");
        OfferWriter.line(sdp, "s=-");
        OfferWriter.line(sdp, "t=0 0");
        if (!bundled.isEmpty()) {
            StringJoiner group = new StringJoiner(" ", "a=group:BUNDLE ", "");
            bundled.forEach(group::add);
            OfferWriter.line(sdp, group.toString());
        }
        return sdp.append(sections).toString();
    }

    /** The payload types we take from {@code section}: Opus for audio, VP8 for video, none otherwise. */
    static List<Integer> accepted(RemoteSection section) {
        if (!section.accepted()) {
            return List.of();
        }
        return switch (section.kind()) {
            case "audio" -> section.payloadTypes("opus");
            case "video" -> section.payloadTypes("vp8");
            default -> List.of();
        };
    }

    private static void rejected(StringBuilder sdp, RemoteSection section) {
        String format = section.payloadTypes().keySet().stream().findFirst().map(String::valueOf).orElse("0");
        OfferWriter.line(sdp, "m=" + section.kind() + " 0 UDP/TLS/RTP/SAVPF " + format);
        OfferWriter.line(sdp, "c=IN IP4 0.0.0.0");
        OfferWriter.line(sdp, "a=mid:" + section.mid());
        OfferWriter.line(sdp, "a=inactive");
    }

    private void accepted(StringBuilder sdp, RemoteSection section, List<Integer> types, DtlsRole role,
                          HostCandidate candidate) {
        StringJoiner formats = new StringJoiner(" ");
        types.forEach(t -> formats.add(Integer.toString(t)));
        OfferWriter.line(sdp, "m=" + section.kind() + " 9 UDP/TLS/RTP/SAVPF " + formats);
        OfferWriter.line(sdp, "c=IN IP4 0.0.0.0");
        OfferWriter.line(sdp, "a=rtcp:9 IN IP4 0.0.0.0");
        OfferWriter.line(sdp, "a=ice-ufrag:" + ice.ufrag());
        OfferWriter.line(sdp, "a=ice-pwd:" + ice.password());
        OfferWriter.line(sdp, "a=fingerprint:" + fingerprint.sdpValue());
        OfferWriter.line(sdp, "a=setup:" + role.answerSetup());
        OfferWriter.line(sdp, "a=mid:" + section.mid());
        for (Map.Entry<String, Integer> extension : section.extensions().entrySet()) {
            if (extension.getKey().equals(Codecs.MID_URI)
                    || (extension.getKey().equals(Codecs.AUDIO_LEVEL_URI) && section.kind().equals("audio"))) {
                OfferWriter.line(sdp, "a=extmap:" + extension.getValue() + " " + extension.getKey());
            }
        }
        OfferWriter.line(sdp, "a=" + answerDirection(section.direction()).attribute());
        OfferWriter.line(sdp, "a=rtcp-mux");
        for (int type : types) {
            OfferWriter.line(sdp, "a=rtpmap:" + type + " " + encodingName(section.payloadTypes().get(type)));
        }
        OfferWriter.candidateLines(sdp, candidate);
    }

    /** We only receive: {@code recvonly} to what the SFU sends, {@code inactive} otherwise (RFC 3264 §6.1). */
    private static Direction answerDirection(Direction offered) {
        return offered.sends() ? Direction.RECVONLY : Direction.INACTIVE;
    }

    /** {@code vp8/90000} as SDP writes it: {@code VP8/90000} (names are case-insensitive, RFC 8866 §6.6). */
    private static String encodingName(String rtpmap) {
        int slash = rtpmap.indexOf('/');
        String name = slash < 0 ? rtpmap : rtpmap.substring(0, slash);
        String rest = slash < 0 ? "" : rtpmap.substring(slash);
        return (name.equals("vp8") ? "VP8" : name) + rest;
    }
}
