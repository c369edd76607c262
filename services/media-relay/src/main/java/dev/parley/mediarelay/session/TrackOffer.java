package dev.parley.mediarelay.session;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

/**
 * One track a session publishes, as the JSON API declares it: its media SSRC, its kind and
 * optionally the SSRC of its RTX stream. The same facts SDP carries in {@code a=ssrc} and
 * {@code a=ssrc-group:FID} (RFC 5576 §4, RFC 4588 §8.1).
 */
public record TrackOffer(@NotNull @Min(0) @Max(0xFFFF_FFFFL) Long ssrc,
                         @NotNull @Pattern(regexp = "audio|video") String kind,
                         @Min(0) @Max(0xFFFF_FFFFL) Long rtxSsrc) {
}
