package dev.parley.mediarelay.sdp;

import dev.parley.mediarelay.rtp.Ssrc;

import java.util.Optional;

/** What the relay answers for one offered media section (RFC 3264 §6.1). */
public sealed interface SectionAnswer {

    /** The client publishes on this section: the relay receives ({@code recvonly}). */
    record Receive() implements SectionAnswer {
    }

    /**
     * The relay sends one other participant's track on this section ({@code sendonly}), announced
     * with {@code a=msid} (RFC 8830 §2) and its SSRCs with {@code a=ssrc}/{@code a=ssrc-group:FID}
     * (RFC 5576 §4), so the browser demultiplexes and names it before the first packet arrives.
     */
    record Send(String streamId, String trackId, Ssrc ssrc, Optional<Ssrc> rtx) implements SectionAnswer {
    }

    /** Nothing flows on this section ({@code inactive}). */
    record Inactive() implements SectionAnswer {
    }
}
