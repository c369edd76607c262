package dev.parley.client.mls;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;

import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.bouncycastle.mls.TreeKEM.LeafNode;
import org.bouncycastle.mls.TreeKEM.LifeTime;
import org.bouncycastle.mls.codec.Capabilities;
import org.bouncycastle.mls.codec.KeyPackage;
import org.bouncycastle.mls.codec.MLSInputStream;
import org.bouncycastle.mls.codec.MLSOutputStream;

/**
 * One device's Ed25519 signature key pair: the key its certificate certifies, that signs its
 * KeyPackages and LeafNodes (RFC 9420 §5.1.2), and the handshake messages it sends. The private key
 * never leaves this object.
 */
public final class DeviceKeys {
    private final AsymmetricCipherKeyPair pair;

    private DeviceKeys(AsymmetricCipherKeyPair pair) {
        this.pair = pair;
    }

    public static DeviceKeys generate() {
        return new DeviceKeys(Suite.SUITE.generateSignatureKeyPair());
    }

    /** The raw 32-byte Ed25519 public key (RFC 8032), as a certificate request carries it. */
    public byte[] publicKey() {
        return ((Ed25519PublicKeyParameters) pair.getPublic()).getEncoded();
    }

    /**
     * A plain Ed25519 signature over {@code message}, without MLS's SignWithLabel framing: the
     * proof of possession a device sends when it asks for its certificate.
     */
    public byte[] sign(byte[] message) {
        Ed25519Signer signer = new Ed25519Signer();
        signer.init(true, pair.getPrivate());
        signer.update(message, 0, message.length);
        return signer.generateSignature();
    }

    /**
     * A fresh KeyPackage (RFC 9420 §10) for this device, with new HPKE init and leaf encryption keys
     * that stay in the returned bundle. Its lifetime is the device certificate's validity period.
     *
     * @param chain this device's certificate and the CA's; the certificate must certify {@link #publicKey()}
     */
    public KeyPackageBundle newKeyPackage(CredentialChain chain) {
        synchronized (Suite.LOCK) {
            AsymmetricCipherKeyPair init = Suite.SUITE.getHPKE().generatePrivateKey();
            AsymmetricCipherKeyPair encryption = Suite.SUITE.getHPKE().generatePrivateKey();
            try {
                LeafNode leaf = leafNode(chain, encryption);
                KeyPackage keyPackage = new KeyPackage(Suite.SUITE,
                    Suite.SUITE.getHPKE().serializePublicKey(init.getPublic()), leaf, List.of(), privateKey());
                return new KeyPackageBundle(keyPackage, init, encryption);
            } catch (IllegalArgumentException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException("cannot build a KeyPackage", e);
            }
        }
    }

    /**
     * A LeafNode for this device (RFC 9420 §7.2) with the given encryption key. Its capabilities are
     * bcmls' defaults, which list both credential types (basic and x509, §5.3.3 requires x509 there),
     * every suite bcmls has and no extensions: external_senders is one of the extensions RFC 9420
     * itself defines (§17.3), which a leaf's capabilities need not list (§7.2).
     */
    LeafNode leafNode(CredentialChain chain, AsymmetricCipherKeyPair encryption) throws Exception {
        X509CertificateHolder certificate = new X509CertificateHolder(chain.leafCertificate());
        if (!Arrays.equals(certificate.getSubjectPublicKeyInfo().getPublicKeyData().getOctets(),
            publicKey())) {
            throw new IllegalArgumentException("the certificate does not certify this device's key");
        }
        return new LeafNode(Suite.SUITE, Suite.SUITE.getHPKE().serializePublicKey(encryption.getPublic()),
            publicKey(), chain.toMls(), new Capabilities(), lifetime(certificate), List.of(), privateKey());
    }

    /** bcmls takes private keys in their serialized form. */
    byte[] privateKey() {
        return Suite.SUITE.serializeSignaturePrivateKey(pair.getPrivate());
    }

    /** RFC 9420 §7.2 Lifetime: seconds since the epoch, bounds included, here the certificate's. */
    private static LifeTime lifetime(X509CertificateHolder certificate) throws IOException {
        MLSOutputStream out = new MLSOutputStream();
        out.write(certificate.getNotBefore().toInstant().getEpochSecond());
        out.write(certificate.getNotAfter().toInstant().getEpochSecond());
        return (LifeTime) MLSInputStream.decode(out.toByteArray(), LifeTime.class);
    }
}
