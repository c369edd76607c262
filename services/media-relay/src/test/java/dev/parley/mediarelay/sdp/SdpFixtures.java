package dev.parley.mediarelay.sdp;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Chromium offers kept as text under {@code src/test/resources/sdp}. */
public final class SdpFixtures {

    public static final String AUDIO_VIDEO_SCREEN = "chrome-audio-video-screen.sdp";
    public static final String RECEIVE_ONLY_VIDEO = "chrome-receive-only-video.sdp";
    /** Chromium 156: microphone and camera sendonly, then one recvonly audio and one recvonly video. */
    public static final String SEND_AND_RECEIVE = "chrome-send-and-receive.sdp";

    private SdpFixtures() {
    }

    /** The fixture's text with CRLF line ends, as browsers send SDP (RFC 8866 §5). */
    public static String offer(String name) {
        try (InputStream in = SdpFixtures.class.getResourceAsStream("/sdp/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("\n", "\r\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
