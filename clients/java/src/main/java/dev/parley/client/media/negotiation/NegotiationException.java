package dev.parley.client.media.negotiation;

import java.io.IOException;

/** The relay refused an offer or a request; the message carries its status and problem body. */
public final class NegotiationException extends IOException {

    private final int status;

    public NegotiationException(int status, String body) {
        super("HTTP " + status + ": " + body);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
