package dev.parley.keydistribution.identity;

import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.bouncycastle.operator.ContentSigner;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;

/**
 * Bouncy Castle's certificate builder signing with a lightweight Ed25519 key (RFC 8410 §3: the
 * algorithm identifier has no parameters), without going through a JCA provider.
 */
final class Ed25519ContentSigner implements ContentSigner {

    private static final AlgorithmIdentifier ED25519 = new AlgorithmIdentifier(EdECObjectIdentifiers.id_Ed25519);

    private final Ed25519PrivateKeyParameters key;
    private final ByteArrayOutputStream tbs = new ByteArrayOutputStream();

    Ed25519ContentSigner(Ed25519PrivateKeyParameters key) {
        this.key = key;
    }

    @Override
    public AlgorithmIdentifier getAlgorithmIdentifier() {
        return ED25519;
    }

    @Override
    public OutputStream getOutputStream() {
        return tbs;
    }

    @Override
    public byte[] getSignature() {
        Ed25519Signer signer = new Ed25519Signer();
        signer.init(true, key);
        byte[] message = tbs.toByteArray();
        signer.update(message, 0, message.length);
        return signer.generateSignature();
    }
}
