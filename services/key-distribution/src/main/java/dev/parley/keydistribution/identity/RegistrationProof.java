package dev.parley.keydistribution.identity;

import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

import java.nio.charset.StandardCharsets;

/**
 * Proof that whoever registers a signature key holds its private half: an Ed25519 signature
 * (RFC 8032) over {@code "parley-device-registration-v1:"} followed by the raw public key. With
 * it nobody can obtain a credential for a key they cannot sign with, so a key registered by one
 * person can never be certified for another.
 */
public final class RegistrationProof {

    public static final byte[] LABEL = "parley-device-registration-v1:".getBytes(StandardCharsets.UTF_8);
    public static final int KEY_BYTES = Ed25519PublicKeyParameters.KEY_SIZE;

    private RegistrationProof() {
    }

    /** The bytes a client signs. */
    public static byte[] message(byte[] signatureKey) {
        byte[] message = new byte[LABEL.length + signatureKey.length];
        System.arraycopy(LABEL, 0, message, 0, LABEL.length);
        System.arraycopy(signatureKey, 0, message, LABEL.length, signatureKey.length);
        return message;
    }

    public static boolean holds(byte[] signatureKey, byte[] proof) {
        if (signatureKey.length != KEY_BYTES || proof.length != Ed25519PublicKeyParameters.KEY_SIZE * 2) {
            return false;
        }
        Ed25519PublicKeyParameters key;
        try {
            key = new Ed25519PublicKeyParameters(signatureKey);
        } catch (IllegalArgumentException e) {
            return false;
        }
        Ed25519Signer verifier = new Ed25519Signer();
        verifier.init(false, key);
        byte[] message = message(signatureKey);
        verifier.update(message, 0, message.length);
        return verifier.verifySignature(proof);
    }
}
