package dev.parley.client.media.sdp;

import java.util.Locale;

/** The media of an {@code m=} section this client speaks (RFC 8866 §5.14). */
public enum MediaKind {
    AUDIO, VIDEO;

    /** As SDP and the relay's JSON write it: {@code audio}, {@code video}. */
    public String sdpName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static MediaKind of(String sdpName) {
        return valueOf(sdpName.toUpperCase(Locale.ROOT));
    }
}
