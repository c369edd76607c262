package dev.parley.mediarelay.sdp;

import dev.parley.media.dtls.DtlsFingerprint;
import dev.parley.mediarelay.ice.IceCredentials;
import dev.parley.mediarelay.sdp.SdpOfferException.Reason;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of the SDP a browser offers (RFC 8866 §5): {@code <type>=<value>} lines, {@code v=0}
 * first, session part then {@code m=} sections. It reads only the attributes the relay answers
 * (BUNDLE, mid, ICE, fingerprint, setup, rtcp-mux, rtpmap, fmtp, rtcp-fb, extmap, ssrc, ssrc-group,
 * direction, rid, simulcast) and skips the others, as RFC 8866 §5.13 lets a receiver do with unknown attributes;
 * what it reads must be well-formed, and the offer must be one the relay can answer.
 */
public final class SdpParser {

    private static final Pattern LINE = Pattern.compile("([a-z])=(.*)");
    private static final Pattern M_LINE = Pattern.compile("(\\w+) (\\d{1,5}) (\\S+)((?: \\S+)*)");
    private static final Pattern RTPMAP = Pattern.compile("(\\d{1,3}) ([\\w.-]+)/(\\d+(?:/\\d+)?)");
    private static final Pattern PT_VALUE = Pattern.compile("(\\d{1,3}) (.+)");
    private static final Pattern EXTMAP = Pattern.compile("(\\d{1,2})(?:/\\w+)? (\\S+).*");
    private static final Pattern SSRC = Pattern.compile("(\\d{1,10}) .+");
    private static final Pattern FID = Pattern.compile("FID (\\d{1,10}) (\\d{1,10})");
    private static final Pattern FINGERPRINT = Pattern.compile("(\\S+) (\\S+)");
    private static final long MAX_SSRC = 0xFFFF_FFFFL;
    /** RFC 8851 §10: rid-id = 1*(alpha-numeric / "-" / "_"); at most 16 bytes to fit a one-byte header extension. */
    private static final Pattern RID = Pattern.compile("([A-Za-z0-9_-]{1,16}) (send|recv)(?: .*)?");
    private static final Pattern SIMULCAST = Pattern.compile("(send|recv) (\\S+)(?: (send|recv) (\\S+))?");
    /** More simulcast streams than any browser sends is a malformed or hostile offer. */
    static final int MAX_SIMULCAST_STREAMS = 4;

    private SdpParser() {
    }

    /** Reads and checks an offer; throws {@link SdpOfferException} when it cannot be answered. */
    public static SdpOffer parse(String sdp) {
        List<String> lines = sdp.lines().toList();
        if (lines.isEmpty() || !lines.get(0).equals("v=0")) {
            throw malformed("an SDP description starts with v=0 (RFC 8866 §5.1)");
        }
        List<String> bundle = new ArrayList<>();
        Transport session = Transport.NONE;
        List<SectionReader> readers = new ArrayList<>();
        for (String line : lines) {
            Matcher matcher = LINE.matcher(line);
            if (!matcher.matches()) {
                throw malformed("not an SDP line: " + abbreviate(line));
            }
            char type = matcher.group(1).charAt(0);
            String value = matcher.group(2);
            if (type == 'm') {
                readers.add(new SectionReader(value));
            } else if (type == 'a' && !readers.isEmpty()) {
                readers.get(readers.size() - 1).attribute(value);
            } else if (type == 'a' && value.startsWith("group:BUNDLE ")) {
                bundle.addAll(List.of(value.substring("group:BUNDLE ".length()).trim().split(" +")));
            } else if (type == 'a') {
                session = transportAttribute(session, value);
            }
        }
        Transport sessionTransport = session;
        return check(bundle, readers.stream().map(reader -> reader.section(sessionTransport)).toList());
    }

    private static SdpOffer check(List<String> bundle, List<MediaSection> sections) {
        List<MediaSection> rtp = sections.stream().filter(MediaSection::isRtp).toList();
        if (rtp.isEmpty()) {
            throw malformed("the offer has no audio or video section");
        }
        for (MediaSection section : rtp) {
            if (section.mid().isEmpty() || !bundle.contains(section.mid().get())) {
                throw new SdpOfferException(Reason.NO_BUNDLE,
                        "every audio and video section must have a mid in a=group:BUNDLE (RFC 8843 §7.1)");
            }
            if (!section.rtcpMux()) {
                throw new SdpOfferException(Reason.NO_RTCP_MUX,
                        "section " + section.mid().get() + " lacks a=rtcp-mux (RFC 5761 §5.1.3)");
            }
            CodecSelection.select(section);
        }
        Transport transport = rtp.get(0).transport();
        String ufrag = transport.iceUfrag().orElse(null);
        String pwd = transport.icePwd().orElse(null);
        if (!IceCredentials.isValidUfrag(ufrag) || !IceCredentials.isValidPassword(pwd)) {
            throw new SdpOfferException(Reason.NO_ICE_CREDENTIALS,
                    "a=ice-ufrag needs 4 to 256 and a=ice-pwd 22 to 256 ice-chars (RFC 8839 §5.4)");
        }
        return new SdpOffer(bundle, sections, new IceCredentials(ufrag, pwd), fingerprint(transport));
    }

    private static DtlsFingerprint fingerprint(Transport transport) {
        Matcher matcher = FINGERPRINT.matcher(transport.fingerprint().orElse(""));
        try {
            if (matcher.matches()) {
                return new DtlsFingerprint(matcher.group(1), matcher.group(2));
            }
        } catch (IllegalArgumentException e) {
            // falls through to the typed refusal
        }
        throw new SdpOfferException(Reason.NO_FINGERPRINT,
                "the offer needs a=fingerprint:sha-256 with 32 hex bytes (RFC 8122 §5)");
    }

    private static Transport transportAttribute(Transport transport, String attribute) {
        if (attribute.startsWith("ice-ufrag:")) {
            return new Transport(Optional.of(attribute.substring(10)), transport.icePwd(), transport.fingerprint());
        }
        if (attribute.startsWith("ice-pwd:")) {
            return new Transport(transport.iceUfrag(), Optional.of(attribute.substring(8)), transport.fingerprint());
        }
        if (attribute.startsWith("fingerprint:")) {
            return new Transport(transport.iceUfrag(), transport.icePwd(), Optional.of(attribute.substring(12)));
        }
        return transport;
    }

    private static SdpOfferException malformed(String detail) {
        return new SdpOfferException(Reason.MALFORMED, detail);
    }

    private static String abbreviate(String line) {
        return line.length() > 40 ? line.substring(0, 40) + "…" : line;
    }

    private static int payloadType(String value) {
        int pt = Integer.parseInt(value);
        if (pt > 127) {
            throw malformed("an RTP payload type is 0 to 127: " + pt);
        }
        return pt;
    }

    private static long ssrc(String value) {
        long ssrc = Long.parseLong(value);
        if (ssrc > MAX_SSRC) {
            throw malformed("an SSRC is an unsigned 32-bit number: " + value);
        }
        return ssrc;
    }

    /** Collects one m= section's attributes. */
    private static final class SectionReader {

        private final String kind;
        private final int port;
        private final String protocol;
        private final List<String> formatList;
        private final List<Integer> formats = new ArrayList<>();
        private final Map<Integer, String[]> rtpmaps = new LinkedHashMap<>();
        private final Map<Integer, String> fmtps = new LinkedHashMap<>();
        private final Map<Integer, List<String>> feedback = new LinkedHashMap<>();
        private final List<HeaderExtension> extensions = new ArrayList<>();
        private final Set<Long> ssrcs = new LinkedHashSet<>();
        private final Map<Long, Long> rtx = new LinkedHashMap<>();
        private final Set<String> sendRids = new LinkedHashSet<>();
        private List<String> simulcastSend = List.of();
        private Transport transport = Transport.NONE;
        private String mid;
        private Direction direction = Direction.SENDRECV;
        private boolean rtcpMux;

        SectionReader(String mLine) {
            Matcher matcher = M_LINE.matcher(mLine);
            if (!matcher.matches()) {
                throw malformed("not an m-line (RFC 8866 §5.14): " + abbreviate(mLine));
            }
            kind = matcher.group(1);
            port = Integer.parseInt(matcher.group(2));
            protocol = matcher.group(3);
            formatList = List.of(matcher.group(4).trim().split(" "));
            if (protocol.contains("RTP")) {
                for (String format : formatList) {
                    if (!format.matches("\\d{1,3}")) {
                        throw malformed("an RTP m-line lists payload types: " + abbreviate(mLine));
                    }
                    formats.add(payloadType(format));
                }
            }
        }

        void attribute(String attribute) {
            String[] nameValue = attribute.split(":", 2);
            String value = nameValue.length == 2 ? nameValue[1] : "";
            switch (nameValue[0]) {
                case "mid" -> mid = value;
                case "rtcp-mux" -> rtcpMux = true;
                case "rtpmap" -> rtpmap(value);
                case "fmtp" -> perPayloadType(value, (pt, v) -> fmtps.put(pt, v));
                case "rtcp-fb" -> perPayloadType(value,
                        (pt, v) -> feedback.computeIfAbsent(pt, p -> new ArrayList<>()).add(v));
                case "extmap" -> extmap(value);
                case "ssrc" -> ssrc(value);
                case "ssrc-group" -> ssrcGroup(value);
                case "rid" -> rid(value);
                case "simulcast" -> simulcast(value);
                case "ice-ufrag", "ice-pwd", "fingerprint" -> transport = transportAttribute(transport, attribute);
                default -> Direction.of(nameValue[0]).ifPresent(d -> direction = d);
            }
        }

        private void rtpmap(String value) {
            Matcher matcher = RTPMAP.matcher(value);
            if (!matcher.matches()) {
                throw malformed("bad a=rtpmap (RFC 8866 §6.6): " + abbreviate(value));
            }
            rtpmaps.put(payloadType(matcher.group(1)), new String[] {matcher.group(2), matcher.group(3)});
        }

        private void perPayloadType(String value, BiConsumer<Integer, String> sink) {
            Matcher matcher = PT_VALUE.matcher(value);
            if (matcher.matches()) {
                sink.accept(payloadType(matcher.group(1)), matcher.group(2));
            } else if (!value.startsWith("* ")) {
                throw malformed("bad payload-type attribute: " + abbreviate(value));
            }
        }

        private void extmap(String value) {
            Matcher matcher = EXTMAP.matcher(value);
            if (!matcher.matches()) {
                throw malformed("bad a=extmap (RFC 8285 §8): " + abbreviate(value));
            }
            extensions.add(new HeaderExtension(Integer.parseInt(matcher.group(1)), matcher.group(2)));
        }

        private void ssrc(String value) {
            Matcher matcher = SSRC.matcher(value);
            if (!matcher.matches()) {
                throw malformed("bad a=ssrc (RFC 5576 §4.1): " + abbreviate(value));
            }
            ssrcs.add(SdpParser.ssrc(matcher.group(1)));
        }

        private void ssrcGroup(String value) {
            Matcher matcher = FID.matcher(value);
            if (matcher.matches()) {
                rtx.put(SdpParser.ssrc(matcher.group(1)), SdpParser.ssrc(matcher.group(2)));
            }
        }

        private void rid(String value) {
            Matcher matcher = RID.matcher(value);
            if (!matcher.matches()) {
                throw malformed("bad a=rid (RFC 8851 §10): " + abbreviate(value));
            }
            if (matcher.group(2).equals("send")) {
                sendRids.add(matcher.group(1));
            }
        }

        /**
         * {@code a=simulcast} (RFC 8853 §5.1): the send half's streams in order, each the first of its
         * alternatives; a stream paused from the start ({@code ~}) is not one the relay waits for.
         */
        private void simulcast(String value) {
            Matcher matcher = SIMULCAST.matcher(value.trim());
            if (!matcher.matches()) {
                throw malformed("bad a=simulcast (RFC 8853 §5.1): " + abbreviate(value));
            }
            String send = "send".equals(matcher.group(1)) ? matcher.group(2)
                    : "send".equals(matcher.group(3)) ? matcher.group(4) : null;
            if (send == null) {
                return;
            }
            List<String> streams = new ArrayList<>();
            for (String stream : send.split(";")) {
                String first = stream.split(",")[0];
                if (!first.startsWith("~")) {
                    streams.add(first);
                }
            }
            if (streams.size() > MAX_SIMULCAST_STREAMS) {
                throw malformed("a=simulcast sends " + streams.size() + " streams; the relay takes at most "
                        + MAX_SIMULCAST_STREAMS);
            }
            simulcastSend = streams;
        }

        MediaSection section(Transport session) {
            for (String rid : simulcastSend) {
                if (!sendRids.contains(rid)) {
                    throw malformed("a=simulcast names rid " + abbreviate(rid)
                            + " without an a=rid:" + "<id> send line (RFC 8853 §5.2)");
                }
            }
            List<RtpCodec> codecs = formats.stream().filter(rtpmaps::containsKey).map(pt -> new RtpCodec(pt,
                    rtpmaps.get(pt)[0], rtpmaps.get(pt)[1], Optional.ofNullable(fmtps.get(pt)),
                    feedback.getOrDefault(pt, List.of()))).toList();
            return new MediaSection(kind, port, protocol, formatList, Optional.ofNullable(mid), direction, rtcpMux, codecs,
                    extensions, List.copyOf(ssrcs), Map.copyOf(rtx), simulcastSend.size() > 1 ? simulcastSend : List.of(),
                    transport.over(session));
        }
    }
}
