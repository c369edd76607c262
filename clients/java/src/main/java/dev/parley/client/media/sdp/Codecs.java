package dev.parley.client.media.sdp;

/**
 * The payload types and header extension ids the client offers, as Chromium numbers them: Opus
 * on 111 (RFC 7587), VP8 on 96 (RFC 7741) with RTX on 97 (RFC 4588); the audio level
 * (RFC 6464) and mid (RFC 8843 §15.2) extensions with the same id in every bundled section
 * (RFC 8843 §9.2 asks for that).
 */
public final class Codecs {

    public static final int OPUS = 111;
    public static final int VP8 = 96;
    public static final int VP8_RTX = 97;
    public static final int OPUS_CLOCK = 48_000;
    public static final int VIDEO_CLOCK = 90_000;

    public static final String AUDIO_LEVEL_URI = "urn:ietf:params:rtp-hdrext:ssrc-audio-level";
    public static final String MID_URI = "urn:ietf:params:rtp-hdrext:sdes:mid";
    static final int AUDIO_LEVEL_ID = 1;
    static final int MID_ID = 4;

    private Codecs() {
    }
}
