package dev.parley.mediarelay.session;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import java.util.List;

/**
 * The body of {@code POST /api/v1/sessions}, in one of two forms. Either the client's whole SDP
 * {@code offer} (RFC 8829 §5.2) and the room it joins; or, as JSON, the transport half of the offer,
 * namely its {@code a=ice-ufrag}, {@code a=ice-pwd} (RFC 8839 §5.4) and {@code a=fingerprint}
 * (RFC 8122 §5), the room it joins, and the tracks it publishes (both optional).
 */
public record SessionOffer(@Size(max = 256) String iceUfrag,
                           @Size(max = 256) String icePwd,
                           @Valid Fingerprint fingerprint,
                           @Size(max = 128) String roomId,
                           @Size(max = 32) List<@NotNull @Valid TrackOffer> publishes,
                           @Size(max = 65536) String offer) {

    /** A certificate fingerprint: hash function and colon-separated hex bytes. */
    public record Fingerprint(@NotBlank @Size(max = 16) String algorithm, @NotBlank @Size(max = 200) String value) {
    }
}
