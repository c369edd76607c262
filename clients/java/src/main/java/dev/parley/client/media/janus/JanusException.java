package dev.parley.client.media.janus;

import java.io.IOException;

/**
 * Janus refused a request: a core error ({@code error.code}, such as 458 "no such session") or a
 * plugin's ({@code error_code}, such as the VideoRoom's 428 "no such feed").
 */
public final class JanusException extends IOException {

    /** The VideoRoom's "No such feed": a publisher not (yet) publishing. */
    public static final int NO_SUCH_FEED = 428;

    private final int code;

    public JanusException(int code, String reason) {
        super("Janus error " + code + ": " + reason);
        this.code = code;
    }

    public int code() {
        return code;
    }
}
