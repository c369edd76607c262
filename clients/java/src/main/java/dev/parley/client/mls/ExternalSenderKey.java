package dev.parley.client.mls;

import java.io.IOException;
import java.util.Arrays;
import java.util.Objects;

import org.bouncycastle.mls.codec.ExternalSender;
import org.bouncycastle.mls.codec.MLSOutputStream;

/**
 * The key-distribution service as an MLS external sender (RFC 9420 §12.1.8.1): its Ed25519 signature
 * key and its credential (an x509 chain from the Parley CA with the SAN
 * {@code parley:service:key-distribution}). Every Parley group lists exactly this one external sender,
 * which lets the service send the Add and Remove proposals that members then commit.
 */
public record ExternalSenderKey(byte[] signatureKey, CredentialChain credential) {
    public ExternalSenderKey {
        signatureKey = signatureKey.clone();
        Objects.requireNonNull(credential, "credential");
    }

    @Override
    public byte[] signatureKey() {
        return signatureKey.clone();
    }

    ExternalSender toMls() {
        return new ExternalSender(signatureKey.clone(), credential.toMls());
    }

    /** The TLS-style encoding of the ExternalSender struct, which is how two senders are compared. */
    byte[] encoded() {
        try {
            return MLSOutputStream.encode(toMls());
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode an external sender", e);
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ExternalSenderKey that && Arrays.equals(signatureKey, that.signatureKey)
            && credential.equals(that.credential);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(signatureKey) + credential.hashCode();
    }

    @Override
    public String toString() {
        return "ExternalSenderKey[" + Bytes.hex(signatureKey) + "]";
    }
}
