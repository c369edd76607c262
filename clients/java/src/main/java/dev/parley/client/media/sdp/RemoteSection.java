package dev.parley.client.media.sdp;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One section of the relay's answer: its mid and kind, whether it was accepted (a port other than
 * zero, RFC 3264 §6), the relay's direction, the SSRCs the relay will send on it ({@code a=ssrc},
 * RFC 5576 §4.1), its {@code a=msid} (RFC 8830 §2) and the header extension ids it kept
 * (URI → id, RFC 8285 §5).
 */
public record RemoteSection(String mid, String kind, boolean accepted, Direction direction, List<Long> ssrcs,
                            Optional<String> msid, Map<String, Integer> extensions) {

    /** The id the relay agreed for the extension {@code uri}, if it kept it. */
    public Optional<Integer> extensionId(String uri) {
        return Optional.ofNullable(extensions.get(uri));
    }
}
