package dev.parley.mediarelay.session;

import dev.parley.mediarelay.rtp.PublishedTrack;

/** One track of another session of the room, as a subscriber's slot receives it. */
public record Feed(Session publisher, PublishedTrack track) {
}
