package dev.parley.mediarelay.cascade;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.util.List;

/**
 * One track a participant publishes on the relay that sends this description, as much as the
 * other relay needs to put it in its subscribers' slots and rewrite its packets for each
 * ({@code RtpRewrite}): who publishes it, its id, kind and source, its SSRCs (RTX included,
 * RFC 4588 §8), and the payload types and header-extension ids of the publisher's section
 * (RFC 3264 §6.1, RFC 8285 §5), which its packets carry unchanged over the link.
 */
public record LinkTrack(@NotNull @Pattern(regexp = "p-[a-z2-7]{26}") String participantId,
                        @NotNull @Size(min = 1, max = 32) String trackId,
                        @NotNull @Pattern(regexp = "audio|video") String kind,
                        @NotNull @Pattern(regexp = "microphone|camera|screen") String source,
                        @Min(0) @Max(0xFFFF_FFFFL) long ssrc,
                        @Min(0) @Max(0xFFFF_FFFFL) Long rtxSsrc,
                        @NotNull @Size(min = 1, max = 32) String mid,
                        @NotNull @Size(min = 1, max = 128) List<@NotNull @Valid Codec> codecs,
                        @NotNull @Size(max = 32) List<@NotNull @Valid Extension> extensions) {

    /** A payload type of the publisher's section: {@code a=rtpmap}, {@code a=fmtp}, {@code a=rtcp-fb}. */
    public record Codec(@Min(0) @Max(127) int payloadType,
                        @NotNull @Pattern(regexp = "[A-Za-z0-9_.-]{1,32}") String name,
                        @NotNull @Pattern(regexp = "\\d{1,6}(/\\d{1,2})?") String clock,
                        @Size(max = 512) String fmtp,
                        @NotNull @Size(max = 16) List<@NotNull @Size(max = 64) String> rtcpFb) {
    }

    /** A header extension of the publisher's section: {@code a=extmap} (RFC 8285 §5). */
    public record Extension(@Min(1) @Max(255) int id, @NotNull @Size(min = 1, max = 256) String uri) {
    }
}
