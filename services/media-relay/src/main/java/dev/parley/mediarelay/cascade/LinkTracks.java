package dev.parley.mediarelay.cascade;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import java.util.List;

/**
 * The body of {@code PUT /api/v1/rooms/{room}/links/{relayId}/tracks}: every track the sending
 * relay's participants of the room publish now; tracks missing from it have ended.
 */
public record LinkTracks(@NotNull @Size(max = MAX) List<@NotNull @Valid LinkTrack> tracks) {

    /** Tracks one relay's participants of one room may publish: 1,000 participants with two each, and some screens. */
    static final int MAX = 2048;
}
