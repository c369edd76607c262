package dev.parley.mediarelay.session;

import dev.parley.mediarelay.rtp.PublishedTrack;

/** One track of another session of the room, as a subscriber's slot receives it. */
public record Feed(Session publisher, PublishedTrack track) {

    /** Whether the track is still published: its session is open and still declares it unchanged. */
    boolean live(SessionRegistry sessions) {
        return sessions.byId(publisher.id()).filter(open -> open == publisher).isPresent()
                && publisher.tracks().contains(track);
    }
}
