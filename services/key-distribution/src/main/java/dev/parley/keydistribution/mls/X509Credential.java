package dev.parley.keydistribution.mls;

import org.bouncycastle.mls.codec.CredentialType;
import org.bouncycastle.mls.codec.MLSOutputStream;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The encoding of an MLS X.509 credential (RFC 9420 §5.3): {@code credential_type} x509 and a
 * vector of DER certificates, each an opaque value. Bouncy Castle can read these but offers no
 * way to build one, so the encoding is written here with its own stream writer.
 */
public final class X509Credential {

    private X509Credential() {
    }

    public static byte[] encode(List<byte[]> certificates) {
        try {
            MLSOutputStream list = new MLSOutputStream();
            for (byte[] certificate : certificates) {
                list.writeOpaque(certificate);
            }
            MLSOutputStream credential = new MLSOutputStream();
            credential.write(CredentialType.x509);
            credential.writeOpaque(list.toByteArray());
            return credential.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
