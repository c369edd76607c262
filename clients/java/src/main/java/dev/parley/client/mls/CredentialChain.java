package dev.parley.client.mls;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.bouncycastle.mls.codec.Certificate;
import org.bouncycastle.mls.codec.Credential;
import org.bouncycastle.mls.codec.CredentialType;
import org.bouncycastle.mls.codec.MLSInputStream;
import org.bouncycastle.mls.codec.MLSOutputStream;

/**
 * The certificates of an MLS X.509 credential (RFC 9420 §5.3, credential_type x509): in Parley always
 * [device certificate, Parley CA certificate], both DER. The key-distribution service issues the
 * device certificate; its subject public key is the device's Ed25519 signature key.
 *
 * <p>bcmls 1.84 has no public way to build or read the certificates of an x509 {@link Credential}, so
 * this class encodes the credential itself ({@code uint16 credential_type; Certificate
 * certificates<V>}, each {@code opaque cert_data<V>}) and lets bcmls decode it.
 */
public record CredentialChain(List<byte[]> certificates) {
    public CredentialChain {
        if (certificates.isEmpty()) {
            throw new IllegalArgumentException("a credential chain has at least one certificate");
        }
        certificates = certificates.stream().map(byte[]::clone).toList();
    }

    /** The chain Parley uses: the device's certificate, then the CA's. */
    public static CredentialChain of(byte[] deviceCertificate, byte[] caCertificate) {
        return new CredentialChain(List.of(deviceCertificate, caCertificate));
    }

    @Override
    public List<byte[]> certificates() {
        return certificates.stream().map(byte[]::clone).toList();
    }

    /** The first certificate: the one whose key signs for the leaf. */
    public byte[] leafCertificate() {
        return certificates.get(0).clone();
    }

    Credential toMls() {
        try {
            MLSOutputStream list = new MLSOutputStream();
            for (byte[] der : certificates) {
                list.writeOpaque(der);
            }
            MLSOutputStream out = new MLSOutputStream();
            out.write(CredentialType.x509);
            out.writeOpaque(list.toByteArray());
            return (Credential) MLSInputStream.decode(out.toByteArray(), Credential.class);
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode an x509 credential", e);
        }
    }

    /**
     * Reads the certificates of an x509 credential.
     *
     * @throws CredentialRejectedException with {@code NOT_X509} for any other credential type
     */
    static CredentialChain fromMls(Credential credential) throws CredentialRejectedException {
        if (credential.getCredentialType() != CredentialType.x509) {
            throw new CredentialRejectedException(CredentialRejectedException.Reason.NOT_X509,
                "credential type " + credential.getCredentialType());
        }
        try {
            MLSInputStream in = new MLSInputStream(MLSOutputStream.encode(credential));
            in.read(short.class);
            List<Certificate> certs = new ArrayList<>();
            in.readList(certs, Certificate.class);
            List<byte[]> ders = new ArrayList<>();
            for (Certificate cert : certs) {
                ders.add(new MLSInputStream(MLSOutputStream.encode(cert)).readOpaque());
            }
            if (ders.isEmpty()) {
                throw new CredentialRejectedException(CredentialRejectedException.Reason.MALFORMED_CHAIN,
                    "x509 credential without certificates");
            }
            return new CredentialChain(ders);
        } catch (IOException e) {
            throw new CredentialRejectedException(CredentialRejectedException.Reason.MALFORMED_CHAIN,
                "x509 credential does not decode", e);
        }
    }

    @Override
    public boolean equals(Object other) {
        if (!(other instanceof CredentialChain that) || that.certificates.size() != certificates.size()) {
            return false;
        }
        for (int i = 0; i < certificates.size(); i++) {
            if (!Arrays.equals(certificates.get(i), that.certificates.get(i))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int hash = 1;
        for (byte[] der : certificates) {
            hash = 31 * hash + Arrays.hashCode(der);
        }
        return hash;
    }

    @Override
    public String toString() {
        return "CredentialChain[" + certificates.size() + " certificates]";
    }
}
