package dev.parley.client.mls;

/**
 * The bytes are not an MLS message of the kind expected here (RFC 9420 §6): they do not decode, carry
 * trailing bytes, use a wire format Parley does not use, or belong to another group.
 */
public final class MalformedMessageException extends MlsException {
    private static final long serialVersionUID = 1L;

    MalformedMessageException(String message) {
        super(message);
    }

    MalformedMessageException(String message, Throwable cause) {
        super(message, cause);
    }
}
