package dev.parley.mediarelay.dtls;

import dev.parley.media.dtls.DtlsFingerprint;
import jakarta.inject.Singleton;
import org.bouncycastle.asn1.x500.X500Name;
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
 * The relay's DTLS identity: a self-signed ECDSA P-256 certificate made at start-up. WebRTC does not
 * trust certificates through a CA; each side pins the other's by the fingerprint in SDP
 * (RFC 8827 §6.5, RFC 8122 §5), so a fresh key per process is enough and never leaves memory.
 */
@Singleton
public class DtlsCertificate {

    private static final Duration VALIDITY = Duration.ofDays(365);
    private static final SignatureAndHashAlgorithm ECDSA_SHA256 =
            SignatureAndHashAlgorithm.getInstance(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa);

    private final BcTlsCrypto crypto = new BcTlsCrypto(new SecureRandom());
    private final AsymmetricKeyParameter privateKey;
    private final Certificate chain;
    private final DtlsFingerprint fingerprint;

    public DtlsCertificate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair keys = generator.generateKeyPair();
            byte[] der = selfSigned(keys).getEncoded();
            privateKey = PrivateKeyFactory.createKey(keys.getPrivate().getEncoded());
            chain = new Certificate(new TlsCertificate[] {crypto.createCertificate(der)});
            fingerprint = DtlsFingerprint.sha256(der);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("cannot make the relay's DTLS certificate", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static org.bouncycastle.cert.X509CertificateHolder selfSigned(KeyPair keys)
            throws OperatorCreationException {
        Instant now = Instant.now();
        X500Name name = new X500Name("CN=parley-media-relay");
        return new JcaX509v3CertificateBuilder(name, new BigInteger(64, new SecureRandom()),
                Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(VALIDITY)), name, keys.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate()));
    }

    /** What the SDP answer carries in {@code a=fingerprint}. */
    public DtlsFingerprint fingerprint() {
        return fingerprint;
    }

    /** The crypto provider every DTLS server of this relay uses. */
    BcTlsCrypto crypto() {
        return crypto;
    }

    /** Signs a handshake's ServerKeyExchange and CertificateVerify with this identity. */
    TlsCredentialedSigner signer(TlsContext context) {
        return new BcDefaultTlsCredentialedSigner(new TlsCryptoParameters(context), crypto, privateKey, chain,
                ECDSA_SHA256);
    }
}
