package dev.parley.client.mls;

import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;

import org.bouncycastle.asn1.DERIA5String;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.generators.Ed25519KeyPairGenerator;
import org.bouncycastle.crypto.params.Ed25519KeyGenerationParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.bc.BcEdECContentSignerBuilder;

/** A test stand-in for the key-distribution service's issuer: an Ed25519 CA made with bcpkix. */
final class TestCa {
    private static final AlgorithmIdentifier ED25519 = new AlgorithmIdentifier(EdECObjectIdentifiers.id_Ed25519);
    private static final AtomicLong SERIAL = new AtomicLong(1);

    private final AsymmetricCipherKeyPair key;
    private final X500Name name;
    private final byte[] certificate;

    private TestCa(String commonName) {
        Ed25519KeyPairGenerator generator = new Ed25519KeyPairGenerator();
        generator.init(new Ed25519KeyGenerationParameters(new java.security.SecureRandom()));
        this.key = generator.generateKeyPair();
        this.name = new X500Name("CN=" + commonName);
        Instant now = Instant.now();
        this.certificate = build(name, ((Ed25519PublicKeyParameters) key.getPublic()).getEncoded(),
            now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(365)), true);
    }

    static TestCa create(String commonName) {
        return new TestCa(commonName);
    }

    byte[] certificate() {
        return certificate.clone();
    }

    CredentialVerifier verifier() {
        return new CredentialVerifier(certificate);
    }

    /** A device certificate valid from an hour ago for a day. */
    CredentialChain device(byte[] publicKey, String userId, String deviceId) {
        Instant now = Instant.now();
        return chain(publicKey, now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(1)),
            "parley:user:" + userId, "parley:device:" + deviceId);
    }

    /** The key-distribution service as an external sender, certified by this CA. */
    ExternalSenderKey service(byte[] publicKey) {
        Instant now = Instant.now();
        return new ExternalSenderKey(publicKey, chain(publicKey, now.minus(Duration.ofHours(1)),
            now.plus(Duration.ofDays(1)), "parley:service:key-distribution"));
    }

    CredentialChain chain(byte[] publicKey, Instant notBefore, Instant notAfter, String... uris) {
        return CredentialChain.of(build(new X500Name("CN=device"), publicKey, notBefore, notAfter, false, uris),
            certificate);
    }

    private byte[] build(X500Name subject, byte[] publicKey, Instant notBefore, Instant notAfter, boolean ca,
        String... uris) {
        try {
            X509v3CertificateBuilder builder = new X509v3CertificateBuilder(name,
                BigInteger.valueOf(SERIAL.getAndIncrement()), Date.from(notBefore), Date.from(notAfter), subject,
                new SubjectPublicKeyInfo(ED25519, publicKey));
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
            if (uris.length > 0) {
                GeneralName[] names = new GeneralName[uris.length];
                for (int i = 0; i < uris.length; i++) {
                    names[i] = new GeneralName(GeneralName.uniformResourceIdentifier, new DERIA5String(uris[i]));
                }
                builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
            }
            ContentSigner signer = new BcEdECContentSignerBuilder(ED25519).build(key.getPrivate());
            return builder.build(signer).getEncoded();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
