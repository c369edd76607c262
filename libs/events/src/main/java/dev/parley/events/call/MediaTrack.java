package dev.parley.events.call;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.Objects;

/**
 * One track a participant publishes through the media relay: its id (unique within the
 * participant: the mid of the section that sends it), its kind and what it shows.
 */
public record MediaTrack(String trackId, Kind kind, Source source) {

    public MediaTrack {
        Objects.requireNonNull(trackId, "trackId");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(source, "source");
    }

    public enum Kind {
        @JsonProperty("audio") AUDIO,
        @JsonProperty("video") VIDEO
    }

    public enum Source {
        @JsonProperty("microphone") MICROPHONE,
        @JsonProperty("camera") CAMERA,
        @JsonProperty("screen") SCREEN
    }
}
