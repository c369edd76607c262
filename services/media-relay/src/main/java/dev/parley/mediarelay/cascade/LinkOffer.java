package dev.parley.mediarelay.cascade;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.util.List;

/**
 * The body of {@code POST /api/v1/rooms/{room}/links}: a relay that carries participants of the
 * room asks this one to link with it. It names itself, where its control API and media port are,
 * the key it protects its side of the link with, and the tracks its participants publish.
 */
public record LinkOffer(@NotNull @Pattern(regexp = LinkPeer.RELAY_ID) String relayId,
                        @NotNull @Size(max = 256) @Pattern(regexp = LinkPeer.CONTROL_URL) String controlUrl,
                        @NotNull @Valid MediaAddress media,
                        @NotNull @Valid LinkKey key,
                        @NotNull @Size(max = LinkTracks.MAX) List<@NotNull @Valid LinkTrack> tracks) {
}
