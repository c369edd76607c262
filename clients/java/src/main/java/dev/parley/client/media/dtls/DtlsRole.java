package dev.parley.client.media.dtls;

import java.util.Optional;

/**
 * Which end of the DTLS handshake this client plays, from the peer's {@code a=setup} (RFC 8842
 * §5.1, RFC 4145 §4): the peer's {@code active} makes us the server, its {@code passive} the client;
 * to an offer's {@code actpass} we answer {@code active}, as browsers do, and are the client.
 */
public enum DtlsRole {
    CLIENT, SERVER;

    /** Our role given the peer's {@code a=setup} value; empty for a value that allows none. */
    public static Optional<DtlsRole> facing(String remoteSetup) {
        return switch (remoteSetup) {
            case "active" -> Optional.of(SERVER);
            case "passive", "actpass" -> Optional.of(CLIENT);
            default -> Optional.empty();
        };
    }

    /** Our {@code a=setup} value in an answer (RFC 8842 §5.1). */
    public String answerSetup() {
        return this == CLIENT ? "active" : "passive";
    }
}
