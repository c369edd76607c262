package dev.parley.client.media.sdp;

import dev.parley.client.media.ice.IceCredentials;
import dev.parley.media.dtls.DtlsFingerprint;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the client reads of the SFU's description, an answer or (from Janus) an offer (RFC 8866,
 * RFC 8829 §5.3.1): its ICE credentials (RFC 8839 §5.4), its certificate fingerprint (RFC 8122 §5)
 * and DTLS role ({@code a=setup}, RFC 8842 §5.1; empty if absent), its UDP host candidate
 * (RFC 8839 §5.1; the first IPv4 one if there are several) and each section ({@link RemoteSection}).
 * Media-level transport attributes override session-level ones; in a BUNDLE group they are the
 * same in every section.
 */
public record RemoteDescription(IceCredentials ice, DtlsFingerprint fingerprint, HostCandidate candidate,
                                boolean iceLite, String setup, List<RemoteSection> sections) {

    /** Parses a description; {@link IllegalArgumentException} if it lacks credentials, fingerprint or a UDP candidate. */
    public static RemoteDescription parse(String sdp) {
        Map<String, String> session = new LinkedHashMap<>();
        List<SectionReader> readers = new ArrayList<>();
        boolean iceLite = false;
        HostCandidate candidate = null;
        for (String line : sdp.split("\r?\n")) {
            if (line.length() < 2 || line.charAt(1) != '=') {
                continue;
            }
            if (line.startsWith("m=")) {
                readers.add(new SectionReader(line.substring(2).split(" ")));
                continue;
            }
            if (!line.startsWith("a=")) {
                continue;
            }
            String attribute = line.substring(2);
            int colon = attribute.indexOf(':');
            String name = colon < 0 ? attribute : attribute.substring(0, colon);
            String value = colon < 0 ? "" : attribute.substring(colon + 1);
            if (name.equals("ice-lite")) {
                iceLite = true;
            } else if (name.equals("candidate") && (candidate == null || !candidate.ipv4())) {
                HostCandidate read = hostCandidate(value);
                candidate = candidate == null || (read != null && read.ipv4()) ? read : candidate;
            }
            if (readers.isEmpty()) {
                session.putIfAbsent(name, value);
            } else {
                readers.get(readers.size() - 1).read(name, value);
            }
        }
        Map<String, String> transport = new LinkedHashMap<>(session);
        readers.stream().filter(r -> r.accepted).findFirst().ifPresent(r -> transport.putAll(r.transport));
        String ufrag = transport.get("ice-ufrag");
        String pwd = transport.get("ice-pwd");
        String fingerprint = transport.get("fingerprint");
        String setup = transport.getOrDefault("setup", "");
        if (ufrag == null || pwd == null || fingerprint == null || candidate == null) {
            throw new IllegalArgumentException("the answer lacks ICE credentials, a fingerprint or a UDP candidate");
        }
        String[] hashAndValue = fingerprint.split(" ");
        return new RemoteDescription(new IceCredentials(ufrag, pwd), new DtlsFingerprint(hashAndValue[0], hashAndValue[1]),
                candidate, iceLite, setup, readers.stream().map(SectionReader::section).toList());
    }

    /** The section of {@code mid}, if the answer has it. */
    public Optional<RemoteSection> section(String mid) {
        return sections.stream().filter(s -> s.mid().equals(mid)).findFirst();
    }

    /** {@code foundation component transport priority address port typ type …}: UDP only. */
    private static HostCandidate hostCandidate(String value) {
        String[] f = value.split(" ");
        if (f.length < 8 || !f[2].equalsIgnoreCase("udp")) {
            return null;
        }
        return new HostCandidate(f[4], Integer.parseInt(f[5]));
    }

    /** Collects one section's lines. */
    private static final class SectionReader {
        private final String kind;
        private final boolean accepted;
        private final Map<String, String> transport = new LinkedHashMap<>();
        private final List<Long> ssrcs = new ArrayList<>();
        private final Map<String, Integer> extensions = new LinkedHashMap<>();
        private final Map<Integer, String> payloadTypes = new LinkedHashMap<>();
        private String mid = "";
        private Direction direction = Direction.SENDRECV;
        private String msid;

        SectionReader(String[] mLine) {
            kind = mLine[0];
            accepted = mLine.length > 1 && !mLine[1].equals("0");
            for (int i = 3; i < mLine.length; i++) {
                if (mLine[i].matches("[0-9]{1,3}")) {
                    payloadTypes.put(Integer.parseInt(mLine[i]), "");
                }
            }
        }

        void read(String name, String value) {
            switch (name) {
                case "mid" -> mid = value;
                case "ice-ufrag", "ice-pwd", "fingerprint", "setup" -> transport.put(name, value);
                case "msid" -> msid = value;
                case "rtpmap" -> {
                    String[] f = value.split(" ", 2);
                    if (f.length == 2 && f[0].matches("[0-9]{1,3}")) {
                        payloadTypes.put(Integer.parseInt(f[0]), f[1].trim().toLowerCase(java.util.Locale.ROOT));
                    }
                }
                case "extmap" -> {
                    String[] f = value.split(" ");
                    extensions.put(f[1], Integer.parseInt(f[0].split("/")[0]));
                }
                case "ssrc" -> {
                    long ssrc = Long.parseLong(value.substring(0, value.indexOf(' ') < 0 ? value.length() : value.indexOf(' ')));
                    if (!ssrcs.contains(ssrc)) {
                        ssrcs.add(ssrc);
                    }
                }
                default -> Direction.ofAttribute(name).ifPresent(d -> direction = d);
            }
        }

        RemoteSection section() {
            return new RemoteSection(mid, kind, accepted, direction, List.copyOf(ssrcs), Optional.ofNullable(msid),
                    Map.copyOf(extensions), java.util.Collections.unmodifiableMap(new LinkedHashMap<>(payloadTypes)));
        }
    }
}
