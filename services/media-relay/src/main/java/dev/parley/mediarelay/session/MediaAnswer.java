package dev.parley.mediarelay.session;

import java.util.List;

/**
 * The relay's answer to a participant's offer: the SDP answer, the tracks the participant now
 * publishes, and which other participant's track each receiving section carries.
 */
public record MediaAnswer(String sdp, List<Track> published, List<Subscription> subscriptions) {

    /** A published track as the call protocol's {@code media-tracks} lists it. */
    public record Track(String trackId, String kind, String source) {
    }

    /** A receiving section and the track it carries, as in the call protocol's {@code media-answer}. */
    public record Subscription(String mid, String participantId, String trackId, String kind, String source) {
    }
}
