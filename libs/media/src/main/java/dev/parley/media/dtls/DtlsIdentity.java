package dev.parley.media.dtls;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.HashAlgorithm;
import org.bouncycastle.tls.SignatureAlgorithm;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.TlsContext;
import org.bouncycastle.tls.TlsCredentialedSigner;
import org.bouncycastle.tls.crypto.TlsCertificate;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.impl.bc.BcDefaultTlsCredentialedSigner;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

/**
 * A DTLS identity as WebRTC uses one: a self-signed ECDSA P-256 certificate, made in memory, whose
 * sha-256 fingerprint travels in SDP (RFC 8827 §6.5, RFC 8122 §5). Nobody trusts it through a CA;
 * each side pins the other's by that fingerprint, so a fresh key per relay process or per client
 * connection is enough, and it never leaves memory. The relay and the Java client both use it.
 */
public final class DtlsIdentity {

    private static final SignatureAndHashAlgorithm ECDSA_SHA256 =
            SignatureAndHashAlgorithm.getInstance(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa);

    private final BcTlsCrypto crypto;
    private final AsymmetricKeyParameter privateKey;
    private final Certificate chain;
    private final DtlsFingerprint fingerprint;

    private DtlsIdentity(BcTlsCrypto crypto, AsymmetricKeyParameter privateKey, Certificate chain,
                         DtlsFingerprint fingerprint) {
        this.crypto = crypto;
        this.privateKey = privateKey;
        this.chain = chain;
        this.fingerprint = fingerprint;
    }

    /** A fresh key pair and certificate named {@code CN=commonName}, valid from yesterday for {@code validity}. */
    public static DtlsIdentity generate(String commonName, Duration validity, SecureRandom random) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), random);
            KeyPair keys = generator.generateKeyPair();
            Instant now = Instant.now();
            X500Name name = new X500Name("CN=" + commonName);
            X509CertificateHolder certificate = new JcaX509v3CertificateBuilder(name, new BigInteger(64, random),
                    Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(validity)), name, keys.getPublic())
                    .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate()));
            byte[] der = certificate.getEncoded();
            BcTlsCrypto crypto = new BcTlsCrypto(random);
            return new DtlsIdentity(crypto, PrivateKeyFactory.createKey(keys.getPrivate().getEncoded()),
                    new Certificate(new TlsCertificate[] {crypto.createCertificate(der)}), DtlsFingerprint.sha256(der));
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("cannot make a DTLS certificate", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What SDP carries in {@code a=fingerprint}. */
    public DtlsFingerprint fingerprint() {
        return fingerprint;
    }

    /** The crypto provider of every handshake made with this identity. */
    public BcTlsCrypto crypto() {
        return crypto;
    }

    /** Signs a handshake's ServerKeyExchange or CertificateVerify with this identity. */
    public TlsCredentialedSigner signer(TlsContext context) {
        return new BcDefaultTlsCredentialedSigner(new TlsCryptoParameters(context), crypto, privateKey, chain,
                ECDSA_SHA256);
    }
}
