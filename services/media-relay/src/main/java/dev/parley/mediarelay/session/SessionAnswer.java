package dev.parley.mediarelay.session;

import java.util.List;

/**
 * The transport half of the relay's SDP answer: an ICE-lite agent ({@code a=ice-lite}, RFC 8445
 * §2.5) with its credentials and one host candidate, and a DTLS server ({@code a=setup:passive},
 * RFC 5763 §5) identified by its certificate fingerprint.
 */
public record SessionAnswer(String sessionId,
                            boolean iceLite,
                            String iceUfrag,
                            String icePwd,
                            SessionOffer.Fingerprint fingerprint,
                            String setup,
                            List<Candidate> candidates) {

    /** An ICE candidate as {@code a=candidate} carries it (RFC 8839 §5.1). */
    public record Candidate(String foundation, int component, String protocol, long priority, String address, int port,
                            String type) {

        /**
         * The relay's one host candidate: component 1 (rtcp-mux), with the RFC 8445 §5.1.2.1
         * priority of a host candidate of the only local address, type preference 126.
         */
        public static Candidate host(String address, int port) {
            return new Candidate("1", 1, "udp", (126L << 24) | (65535L << 8) | 255L, address, port, "host");
        }
    }
}
