package dev.parley.client.media.sdp;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One section of the relay's answer: its mid and kind, whether it was accepted (a port other than
 * zero, RFC 3264 §6), the relay's direction, the SSRCs the relay will send on it ({@code a=ssrc},
 * RFC 5576 §4.1), its {@code a=msid} (RFC 8830 §2), the header extension ids it kept
 * (URI → id, RFC 8285 §5) and its payload types with their {@code a=rtpmap} encodings in lower
 * case (type → {@code vp8/90000}, RFC 8866 §6.6), in the order of the {@code m=} line.
 */
public record RemoteSection(String mid, String kind, boolean accepted, Direction direction, List<Long> ssrcs,
                            Optional<String> msid, Map<String, Integer> extensions, Map<Integer, String> payloadTypes) {

    /** The payload types whose encoding name is {@code name} (case-insensitive, as {@code vp8}), in order. */
    public List<Integer> payloadTypes(String name) {
        String prefix = name.toLowerCase(java.util.Locale.ROOT) + "/";
        return payloadTypes.entrySet().stream().filter(e -> e.getValue().startsWith(prefix)).map(Map.Entry::getKey).toList();
    }

    /** The id the relay agreed for the extension {@code uri}, if it kept it. */
    public Optional<Integer> extensionId(String uri) {
        return Optional.ofNullable(extensions.get(uri));
    }
}
