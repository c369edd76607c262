package dev.parley.mediarelay.session;

/** The reply to an SDP offer: the session opened and the relay's SDP answer (RFC 8829 §5.3). */
public record SdpSessionAnswer(String sessionId, String answer) {
}
