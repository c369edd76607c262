package dev.parley.mediarelay.cascade;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * Another relay that carries participants of the same room, as signaling names it in a session
 * request's {@code peers} ({@code docs/media-relay.md}, "Cascading"): its registered id and the
 * base URL of its control API.
 */
public record LinkPeer(@NotNull @Pattern(regexp = LinkPeer.RELAY_ID) String relayId,
                       @NotNull @Size(max = 256) @Pattern(regexp = LinkPeer.CONTROL_URL) String controlUrl) {

    /** A relay id as relays register it: a pod name or {@code relay-} and random letters. */
    static final String RELAY_ID = "[A-Za-z0-9._-]{1,64}";
    /** An http(s) base URL without query or fragment. */
    static final String CONTROL_URL = "https?://[A-Za-z0-9.:\\[\\]_-]+(/[A-Za-z0-9._~/-]*)?";
}
