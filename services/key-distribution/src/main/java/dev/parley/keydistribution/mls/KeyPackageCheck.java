package dev.parley.keydistribution.mls;

import org.bouncycastle.mls.codec.CredentialType;
import org.bouncycastle.mls.codec.KeyPackage;
import org.bouncycastle.mls.codec.MLSMessage;
import org.bouncycastle.mls.codec.MLSOutputStream;
import org.bouncycastle.mls.codec.WireFormat;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;

/**
 * Checks that uploaded bytes are a KeyPackage (RFC 9420 §10) a given device may publish: the
 * right suite, a valid signature (§10.1), a leaf signed by the device's registered key, and the
 * very credential this service issued for that key. A KeyPackage that passes can be handed to
 * anyone who wants to add the device to a group.
 */
public final class KeyPackageCheck {

    private KeyPackageCheck() {
    }

    /**
     * @param signatureKey the device's raw Ed25519 key
     * @param certificates the device's credential chain (DER), device certificate first
     * @return the KeyPackageRef (§5.2)
     */
    public static byte[] check(byte[] bytes, byte[] signatureKey, List<byte[]> certificates) throws MlsFormatException {
        synchronized (MlsDecoder.LOCK) {
            return checkLocked(bytes, signatureKey, certificates);
        }
    }

    private static byte[] checkLocked(byte[] bytes, byte[] signatureKey, List<byte[]> certificates) throws MlsFormatException {
        MLSMessage message = MlsDecoder.decode(bytes);
        if (message.wireFormat != WireFormat.mls_key_package) {
            throw new MlsFormatException("not a KeyPackage but a " + message.wireFormat);
        }
        KeyPackage keyPackage = message.keyPackage;
        if (keyPackage.getSuite().getSuiteID() != MlsDecoder.SUITE.getSuiteID()) {
            throw new MlsFormatException("the KeyPackage must use cipher suite 1 (MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519)");
        }
        if (!Arrays.equals(keyPackage.getLeafNode().getSignatureKey(), signatureKey)) {
            throw new MlsFormatException("the KeyPackage's leaf is not signed by this device's registered key");
        }
        if (keyPackage.getLeafNode().getCredentialType() != CredentialType.x509
                || !Arrays.equals(encoded(keyPackage), X509Credential.encode(certificates))) {
            throw new MlsFormatException("the KeyPackage must carry the X.509 credential issued for this device");
        }
        try {
            if (!keyPackage.verify()) {
                throw new MlsFormatException("the KeyPackage's signature does not verify");
            }
            return MlsDecoder.SUITE.refHash(MLSOutputStream.encode(keyPackage), "MLS 1.0 KeyPackage Reference");
        } catch (IOException | RuntimeException e) {
            throw new MlsFormatException("the KeyPackage cannot be verified: " + e.getMessage());
        }
    }

    private static byte[] encoded(KeyPackage keyPackage) throws MlsFormatException {
        try {
            return MLSOutputStream.encode(keyPackage.getLeafNode().getCredential());
        } catch (IOException e) {
            throw new MlsFormatException("unreadable credential");
        }
    }
}
