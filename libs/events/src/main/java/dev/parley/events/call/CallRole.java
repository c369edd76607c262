package dev.parley.events.call;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What a participant may do in a call; shown in the roster. */
public enum CallRole {
    /** Runs the call: host controls, and admits from the lobby. */
    @JsonProperty("host") HOST,
    /** A signed-in user admitted by an invite. */
    @JsonProperty("participant") PARTICIPANT,
    /** Someone without an account, shown as unverified. */
    @JsonProperty("guest") GUEST
}
