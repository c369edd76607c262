package dev.parley.mediarelay.sdp;

import dev.parley.media.dtls.DtlsFingerprint;
import dev.parley.mediarelay.ice.IceCredentials;

import java.util.List;

/**
 * A browser's Unified Plan offer (RFC 8829 §5.2) that the relay can answer: every RTP section is in
 * the one BUNDLE group (RFC 8843) with rtcp-mux (RFC 5761), and the bundle's transport has ICE
 * credentials and a sha-256 DTLS fingerprint. {@link SdpParser} makes it.
 */
public record SdpOffer(List<String> bundleMids, List<MediaSection> sections, IceCredentials ice,
                       DtlsFingerprint fingerprint) {

    public SdpOffer {
        bundleMids = List.copyOf(bundleMids);
        sections = List.copyOf(sections);
    }
}
