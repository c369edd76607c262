package dev.parley.client.mls;

/**
 * Base of every error the member library reports for input it was given: bytes from the network,
 * KeyPackages from the server, certificates. Programming errors (calling a removed member, confirming
 * a commit twice) are {@link IllegalStateException} or {@link IllegalArgumentException} instead.
 *
 * <p>A method that throws an {@code MlsException} leaves the member exactly as it was, so the caller
 * can drop the offending message and go on.
 */
public abstract class MlsException extends Exception {
    private static final long serialVersionUID = 1L;

    MlsException(String message) {
        super(message);
    }

    MlsException(String message, Throwable cause) {
        super(message, cause);
    }
}
