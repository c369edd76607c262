package dev.parley.client.mls;

/**
 * A well-formed message (or KeyPackage, or Welcome) that fails verification: a bad signature or
 * membership tag, a proposal list RFC 9420 §12.2 forbids, a reference to a proposal this member never
 * saw, or a proposal type Parley does not allow.
 */
public final class RejectedMessageException extends MlsException {
    private static final long serialVersionUID = 1L;

    RejectedMessageException(String message) {
        super(message);
    }

    RejectedMessageException(String message, Throwable cause) {
        super(message, cause);
    }
}
