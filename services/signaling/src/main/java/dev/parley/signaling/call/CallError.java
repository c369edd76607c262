package dev.parley.signaling.call;

/**
 * A typed protocol error raised while handling a message: the socket answers it with an
 * {@code error} message carrying {@link #code()}, and nothing the message asked for happened.
 */
public final class CallError extends RuntimeException {

    private final ErrorCode code;

    public CallError(ErrorCode code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
