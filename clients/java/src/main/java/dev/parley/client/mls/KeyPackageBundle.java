package dev.parley.client.mls;

import java.io.IOException;

import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.mls.codec.KeyPackage;
import org.bouncycastle.mls.codec.MLSMessage;
import org.bouncycastle.mls.codec.MLSOutputStream;

/**
 * A KeyPackage this device published, with the private HPKE keys that go with it (RFC 9420 §10): the
 * init key, which opens the Welcome's group secrets, and the leaf encryption key the device uses once
 * in the group. A KeyPackage is used for one join only (§16.8); the keys live in memory only.
 */
public final class KeyPackageBundle {
    private final KeyPackage keyPackage;
    private final AsymmetricCipherKeyPair initKeys;
    private final AsymmetricCipherKeyPair encryptionKeys;
    private final byte[] message;
    private final KeyPackageRef ref;

    KeyPackageBundle(KeyPackage keyPackage, AsymmetricCipherKeyPair initKeys, AsymmetricCipherKeyPair encryptionKeys)
        throws IOException {
        this.keyPackage = keyPackage;
        this.initKeys = initKeys;
        this.encryptionKeys = encryptionKeys;
        this.message = MLSOutputStream.encode(MLSMessage.keyPackage(keyPackage));
        this.ref = new KeyPackageRef(
            Suite.SUITE.refHash(MLSOutputStream.encode(keyPackage), "MLS 1.0 KeyPackage Reference"));
    }

    /** The KeyPackage as an MLSMessage (wire format mls_key_package), as it is uploaded. */
    public byte[] message() {
        return message.clone();
    }

    public KeyPackageRef ref() {
        return ref;
    }

    KeyPackage keyPackage() {
        return keyPackage;
    }

    byte[] initPrivateKey() {
        return Suite.SUITE.getHPKE().serializePrivateKey(initKeys.getPrivate());
    }

    AsymmetricCipherKeyPair encryptionKeys() {
        return encryptionKeys;
    }
}
