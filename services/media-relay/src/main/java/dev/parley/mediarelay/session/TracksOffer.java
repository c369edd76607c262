package dev.parley.mediarelay.session;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import java.util.List;

/** The body of {@code POST /api/v1/sessions/{id}/tracks}: tracks a session starts publishing. */
public record TracksOffer(@NotNull @Size(min = 1, max = 32) List<@NotNull @Valid TrackOffer> publishes) {
}
