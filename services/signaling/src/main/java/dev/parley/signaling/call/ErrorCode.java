package dev.parley.signaling.call;

import java.util.Locale;

/**
 * The typed errors of the call protocol, sent as {@code {"type":"error","code":…}}. Each says
 * whether the server then closes the connection, and with which WebSocket close code (RFC 6455,
 * Section 7.4; 4000–4999 are Parley's own).
 */
public enum ErrorCode {
    /** The message is not a JSON object with a string {@code type}. */
    MALFORMED(0),
    /** The {@code type} is not one this protocol version knows. */
    UNKNOWN_TYPE(0),
    /** A field is missing or has the wrong form; {@code message} names it. */
    INVALID(0),
    /** The message is larger than the limit announced in {@code welcome}. */
    TOO_LARGE(0),
    /** The connection sends faster than the limit announced in {@code welcome}. */
    RATE_LIMITED(0),
    /** Only {@code hello} is accepted before {@code welcome}. */
    HELLO_REQUIRED(0),
    /** {@code hello} came twice. */
    ALREADY_AUTHENTICATED(0),
    /** The protocol version in {@code hello} is not supported. */
    UNSUPPORTED_VERSION(4000),
    /** The token in {@code hello} is missing, invalid or expired. */
    UNAUTHENTICATED(4001),
    /** No {@code hello} within the time limit. */
    HELLO_TIMEOUT(4002),
    /** The connection kept breaking the rate limit. */
    ABUSIVE(1008);

    private final int closeCode;

    ErrorCode(int closeCode) {
        this.closeCode = closeCode;
    }

    /** The name on the wire, e.g. {@code unknown-type}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Whether the server closes the connection after sending this error. */
    public boolean closes() {
        return closeCode != 0;
    }

    /** The WebSocket close code used when {@link #closes()}. */
    public int closeCode() {
        return closeCode;
    }
}
