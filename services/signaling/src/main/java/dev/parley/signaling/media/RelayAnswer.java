package dev.parley.signaling.media;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.events.call.MediaTrack;

import java.util.List;

/**
 * The media relay's answer to a participant's offer ({@code docs/media-relay.md}, "The control
 * API"): the SDP answer, what the participant now publishes, and the subscriptions of its
 * receiving sections, passed to the client as they are.
 */
public record RelayAnswer(String sdp, List<MediaTrack> published, JsonNode subscriptions) {
}
