package dev.parley.events.admission;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Where someone stands with a room, as decided by an invite and its hosts. */
public enum AdmissionStatus {
    /** Redeemed a guest link of a room with a lobby; a host has not decided yet. */
    @JsonProperty("waiting") WAITING,
    /** May join the call. */
    @JsonProperty("admitted") ADMITTED,
    /** A host refused them in the lobby. */
    @JsonProperty("denied") DENIED,
    /** A host removed them from the call; only a new invite lets them back. */
    @JsonProperty("removed") REMOVED
}
