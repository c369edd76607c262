package dev.parley.mediarelay.sdp;

import java.util.List;
import java.util.Optional;

/**
 * One payload type of a media section: {@code a=rtpmap} (RFC 8866 §6.6) with its {@code a=fmtp}
 * (§6.15) and {@code a=rtcp-fb} values (RFC 4585 §4.2), as offered.
 */
public record RtpCodec(int payloadType, String name, String clock, Optional<String> fmtp, List<String> rtcpFb) {

    public RtpCodec {
        fmtp = fmtp == null ? Optional.empty() : fmtp;
        rtcpFb = List.copyOf(rtcpFb);
    }

    /** Whether this is codec {@code name}, compared case-insensitively as RFC 4855 §3 says. */
    public boolean is(String codec) {
        return name.equalsIgnoreCase(codec);
    }

    /** For RTX (RFC 4588 §8.1), the payload type this one retransmits: its {@code apt} parameter. */
    public Optional<Integer> associatedPayloadType() {
        return fmtp.flatMap(parameters -> {
            for (String parameter : parameters.split(";")) {
                String[] pair = parameter.trim().split("=", 2);
                if (pair.length == 2 && pair[0].equals("apt") && pair[1].matches("\\d{1,3}")) {
                    return Optional.of(Integer.parseInt(pair[1]));
                }
            }
            return Optional.empty();
        });
    }
}
