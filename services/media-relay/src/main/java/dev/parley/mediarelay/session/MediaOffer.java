package dev.parley.mediarelay.session;

import dev.parley.mediarelay.cascade.LinkPeer;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import java.util.List;
import java.util.Map;

/**
 * The body of {@code PUT /api/v1/rooms/{room}/participants/{participant}/session}: a participant's
 * SDP offer (RFC 8829 §5.2) and, by mid, what its sending sections show ({@code docs/protocol.md},
 * {@code media-offer}); and the room's other relays, which this one links with when it has not
 * yet ({@code docs/media-relay.md}, "Cascading").
 */
public record MediaOffer(@NotNull @Size(min = 1, max = 32768) String sdp,
                         @Size(max = 64) Map<@Size(max = 32) String, @NotNull @Size(max = 16) String> sources,
                         @Size(max = 16) List<@NotNull @Valid LinkPeer> peers) {
}
