package dev.parley.client.mls;

import java.io.IOException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.bouncycastle.asn1.ASN1IA5String;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.mls.TreeKEM.LeafNode;
import org.bouncycastle.operator.ContentVerifierProvider;
import org.bouncycastle.operator.bc.BcEdDSAContentVerifierProviderBuilder;

import dev.parley.client.mls.CredentialRejectedException.Reason;

/**
 * Parley's credential validation (RFC 9420 §5.3.1 leaves it to the application): a leaf's X.509
 * chain must be [device certificate, the trusted Parley CA certificate], the device certificate signed
 * by that CA and within its validity period, its Ed25519 key equal to the leaf's signature key, and its
 * URI subjectAltNames naming the user ({@code parley:user:<userId>}), the device
 * ({@code parley:device:<deviceId>}) and, for guests, the room ({@code parley:room:<roomId>}).
 *
 * <p>The CA is pinned by its certificate's exact bytes: Parley has one CA, and a chain that merely
 * claims the same name is another CA.
 */
public final class CredentialVerifier {
    private static final String USER = "parley:user:";
    private static final String DEVICE = "parley:device:";
    private static final String ROOM = "parley:room:";

    private final byte[] trustedCa;
    private final X509CertificateHolder ca;
    private final ContentVerifierProvider caVerifier;

    /** @param trustedCaCertificate the Parley CA's certificate, DER */
    public CredentialVerifier(byte[] trustedCaCertificate) {
        this.trustedCa = trustedCaCertificate.clone();
        try {
            this.ca = new X509CertificateHolder(trustedCa);
            this.caVerifier = new BcEdDSAContentVerifierProviderBuilder().build(ca);
        } catch (Exception e) {
            throw new IllegalArgumentException("the trusted CA certificate is not an Ed25519 certificate", e);
        }
    }

    /**
     * Checks a credential chain for a leaf whose signature key is {@code signatureKey}.
     *
     * @return the user, device and room the certificate names
     * @throws CredentialRejectedException naming the first check that failed
     */
    public MemberIdentity verify(CredentialChain chain, byte[] signatureKey) throws CredentialRejectedException {
        List<byte[]> certs = chain.certificates();
        if (certs.size() != 2) {
            throw new CredentialRejectedException(Reason.MALFORMED_CHAIN,
                "expected [device, CA] but got " + certs.size() + " certificates");
        }
        if (!Arrays.equals(certs.get(1), trustedCa)) {
            throw new CredentialRejectedException(Reason.UNTRUSTED_CA, "the chain ends in another CA certificate");
        }
        X509CertificateHolder device = parse(certs.get(0));
        checkSignature(device);
        Instant now = Instant.now();
        checkValidity(ca, now, "CA");
        checkValidity(device, now, "device");
        checkKey(device, signatureKey);
        return identity(device);
    }

    /** Applies {@link #verify} to a leaf's credential and signature key. */
    MemberIdentity verify(LeafNode leaf) throws CredentialRejectedException {
        return verify(CredentialChain.fromMls(leaf.getCredential()), leaf.getSignatureKey());
    }

    private static X509CertificateHolder parse(byte[] der) throws CredentialRejectedException {
        try {
            return new X509CertificateHolder(der);
        } catch (IOException | RuntimeException e) {
            throw new CredentialRejectedException(Reason.MALFORMED_CHAIN, "device certificate does not parse", e);
        }
    }

    private void checkSignature(X509CertificateHolder device) throws CredentialRejectedException {
        boolean valid;
        try {
            valid = device.getIssuer().equals(ca.getSubject()) && device.isSignatureValid(caVerifier);
        } catch (Exception e) {
            valid = false;
        }
        if (!valid) {
            throw new CredentialRejectedException(Reason.BAD_SIGNATURE, "device certificate not signed by the CA");
        }
    }

    private static void checkValidity(X509CertificateHolder cert, Instant now, String which)
        throws CredentialRejectedException {
        if (now.isBefore(cert.getNotBefore().toInstant())) {
            throw new CredentialRejectedException(Reason.NOT_YET_VALID,
                which + " certificate valid from " + cert.getNotBefore().toInstant());
        }
        if (now.isAfter(cert.getNotAfter().toInstant())) {
            throw new CredentialRejectedException(Reason.EXPIRED,
                which + " certificate expired at " + cert.getNotAfter().toInstant());
        }
    }

    private static void checkKey(X509CertificateHolder device, byte[] signatureKey)
        throws CredentialRejectedException {
        SubjectPublicKeyInfo key = device.getSubjectPublicKeyInfo();
        boolean ed25519 = EdECObjectIdentifiers.id_Ed25519.equals(key.getAlgorithm().getAlgorithm());
        if (!ed25519 || !Arrays.equals(key.getPublicKeyData().getOctets(), signatureKey)) {
            throw new CredentialRejectedException(Reason.KEY_MISMATCH,
                "certificate key is not the leaf's Ed25519 signature key");
        }
    }

    private static MemberIdentity identity(X509CertificateHolder device) throws CredentialRejectedException {
        GeneralNames names = GeneralNames.fromExtensions(device.getExtensions(), Extension.subjectAlternativeName);
        String user = null;
        String deviceId = null;
        String room = null;
        if (names != null) {
            for (GeneralName name : names.getNames()) {
                if (name.getTagNo() != GeneralName.uniformResourceIdentifier) {
                    continue;
                }
                String uri = ASN1IA5String.getInstance(name.getName()).getString();
                if (uri.startsWith(USER)) {
                    user = once(user, uri.substring(USER.length()), "user");
                } else if (uri.startsWith(DEVICE)) {
                    deviceId = once(deviceId, uri.substring(DEVICE.length()), "device");
                } else if (uri.startsWith(ROOM)) {
                    room = once(room, uri.substring(ROOM.length()), "room");
                }
            }
        }
        if (user == null || user.isEmpty() || deviceId == null || deviceId.isEmpty()) {
            throw new CredentialRejectedException(Reason.BAD_IDENTITY, "certificate lacks the user or device URI");
        }
        return new MemberIdentity(user, deviceId, Optional.ofNullable(room));
    }

    private static String once(String previous, String value, String what) throws CredentialRejectedException {
        if (previous != null) {
            throw new CredentialRejectedException(Reason.BAD_IDENTITY, "certificate names more than one " + what);
        }
        return value;
    }
}
