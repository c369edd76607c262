package dev.parley.mediarelay.session;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import java.util.Map;

/**
 * The body of {@code PUT /api/v1/rooms/{room}/participants/{participant}/session}: a participant's
 * SDP offer (RFC 8829 §5.2) and, by mid, what its sending sections show ({@code docs/protocol.md},
 * {@code media-offer}).
 */
public record MediaOffer(@NotNull @Size(min = 1, max = 32768) String sdp,
                         @Size(max = 64) Map<@Size(max = 32) String, @NotNull @Size(max = 16) String> sources) {
}
