package dev.parley.client.mls;

/**
 * A Welcome for a group whose external_senders extension (RFC 9420 §12.1.8.1) is not exactly the
 * key-distribution service's key. Joining such a group would let someone else add and remove members,
 * or leave the service unable to do so.
 */
public final class ExternalSenderMismatchException extends MlsException {
    private static final long serialVersionUID = 1L;

    ExternalSenderMismatchException(String message) {
        super(message);
    }
}
