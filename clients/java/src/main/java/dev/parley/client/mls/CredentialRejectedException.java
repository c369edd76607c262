package dev.parley.client.mls;

/**
 * A leaf's credential does not pass {@link CredentialVerifier}: RFC 9420 §5.3.1 leaves credential
 * validation to the application, and this is Parley's answer. {@link #reason()} says which check failed.
 */
public final class CredentialRejectedException extends MlsException {
    private static final long serialVersionUID = 1L;

    /** Which check of {@link CredentialVerifier} failed. */
    public enum Reason {
        /** The credential is not an X.509 credential (RFC 9420 §5.3, credential_type x509). */
        NOT_X509,
        /** The chain is not [device certificate, CA certificate], or a certificate does not parse. */
        MALFORMED_CHAIN,
        /** The chain ends in a CA certificate other than the trusted one. */
        UNTRUSTED_CA,
        /** The device certificate is not signed by the trusted CA. */
        BAD_SIGNATURE,
        /** A certificate's validity period has ended. */
        EXPIRED,
        /** A certificate's validity period has not begun. */
        NOT_YET_VALID,
        /** The certificate's public key is not the leaf's signature key. */
        KEY_MISMATCH,
        /** The certificate lacks the user or device URI, or carries one twice. */
        BAD_IDENTITY,
        /** A member's leaf changed to a credential of another user or device. */
        IDENTITY_CHANGED
    }

    private final Reason reason;

    CredentialRejectedException(Reason reason, String message) {
        super(reason + ": " + message);
        this.reason = reason;
    }

    CredentialRejectedException(Reason reason, String message, Throwable cause) {
        super(reason + ": " + message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
