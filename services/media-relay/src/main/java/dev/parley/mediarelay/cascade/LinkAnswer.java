package dev.parley.mediarelay.cascade;

import java.util.List;

/**
 * The answer to a {@link LinkOffer}: the accepting relay's id, media port, its own key for its
 * side of the link, and the tracks its participants publish.
 */
public record LinkAnswer(String relayId, MediaAddress media, LinkKey key, List<LinkTrack> tracks) {
}
