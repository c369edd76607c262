package dev.parley.mediarelay.cascade;

import dev.parley.mediarelay.rtp.Ssrc;
import dev.parley.mediarelay.session.RenderedSize;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The body of {@code PUT /api/v1/rooms/{room}/links/{relayId}/receiving}: which of the addressed
 * relay's tracks (by media SSRC, as its track descriptions name them) the sending relay's
 * participants receive now, each with the largest size one of them renders it at (absent: not
 * known, so the best stream). A track missing from it is received by nobody there: the addressed
 * relay stops sending it over the link.
 */
public record LinkReceiving(@NotNull @Size(max = LinkTracks.MAX) List<@NotNull @Valid Track> tracks) {

    /** One track received: its media SSRC and the largest rendered size, when all its subscribers said. */
    public record Track(@Min(0) @Max(0xFFFF_FFFFL) long ssrc,
                        @Min(0) @Max(RenderedSize.MAX) Integer width,
                        @Min(0) @Max(RenderedSize.MAX) Integer height) {
    }

    /** The message for {@code received}, in SSRC order. */
    static LinkReceiving of(Map<Ssrc, Optional<RenderedSize>> received) {
        return new LinkReceiving(received.entrySet().stream()
                .sorted(Comparator.comparingLong(entry -> entry.getKey().value()))
                .map(entry -> new Track(entry.getKey().value(), entry.getValue().map(RenderedSize::width).orElse(null),
                        entry.getValue().map(RenderedSize::height).orElse(null)))
                .toList());
    }

    /** What the message says, by SSRC; a track named twice is {@code invalid-link}. */
    Map<Ssrc, Optional<RenderedSize>> received() {
        Map<Ssrc, Optional<RenderedSize>> received = new HashMap<>();
        for (Track track : tracks) {
            Optional<RenderedSize> size = track.width() == null || track.height() == null ? Optional.empty()
                    : Optional.of(new RenderedSize(track.width(), track.height()));
            if (received.put(new Ssrc(track.ssrc()), size) != null) {
                throw LinkProblems.invalid("track " + track.ssrc() + " is named twice");
            }
        }
        return received;
    }
}
