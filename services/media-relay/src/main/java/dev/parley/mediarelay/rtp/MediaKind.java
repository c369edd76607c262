package dev.parley.mediarelay.rtp;

/** The media type of a track, as the SDP {@code m=} line names it (RFC 8866 §5.14). */
public enum MediaKind {
    AUDIO,
    VIDEO
}
