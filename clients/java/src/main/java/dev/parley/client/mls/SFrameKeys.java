package dev.parley.client.mls;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;

/**
 * The SFrame keys of one MLS epoch, as RFC 9605 §5.2 derives them from MLS, for SFrame cipher suite
 * AES_128_GCM_SHA256_128 (0x0004, §4.5: Nk = 16, Nn = 12, HKDF-SHA256).
 *
 * <ul>
 *   <li>{@code base_key = MLS-Exporter("SFrame 1.0 Base Key", "", AEAD.Nk)}: one secret per epoch,
 *       shared by the group (§5.2);</li>
 *   <li>{@code KID = (context << (S + E)) + (sender_index << E) + (epoch % (1 << E))}, where E is
 *       {@link #EPOCH_BITS} and S the smallest number of bits with {@code group_size < (1 << S)};
 *       Parley takes the tree's leaf count as group_size, so every leaf index fits (§5.2);</li>
 *   <li>each KID's {@code sframe_key} and {@code sframe_salt} come from {@code base_key} and the KID
 *       by {@code derive_key_salt} (§4.4.2). A sender encrypts only under its own KIDs, so no two
 *       senders share a (key, nonce) pair (§4.4.1).</li>
 * </ul>
 *
 * <p>Earlier SFrame drafts derived a per-sender base key ({@code HKDF-Expand(sframe_epoch_secret,
 * index)}); the RFC replaced it by the KID layout above, and so does this class.
 */
public final class SFrameKeys {
    /** The MLS exporter label of RFC 9605 §5.2. */
    public static final String EXPORTER_LABEL = "SFrame 1.0 Base Key";
    /** SFrame cipher suite AES_128_GCM_SHA256_128 (RFC 9605 §8.1). */
    public static final int CIPHER_SUITE = 0x0004;
    /** AEAD.Nk of that suite: the length of base_key and sframe_key. */
    public static final int KEY_LENGTH = 16;
    /** AEAD.Nn of that suite: the length of sframe_salt. */
    public static final int SALT_LENGTH = 12;
    /** E: how many low bits of the epoch a KID carries; 256 epochs can be told apart in flight. */
    public static final int EPOCH_BITS = 8;

    private final byte[] baseKey;
    private final long epoch;
    private final int senderBits;

    /**
     * @param baseKey the epoch's {@code base_key}
     * @param epoch the MLS epoch
     * @param groupSize the tree's leaf count
     */
    public SFrameKeys(byte[] baseKey, long epoch, int groupSize) {
        if (baseKey.length != KEY_LENGTH || groupSize < 1) {
            throw new IllegalArgumentException("a base key of " + KEY_LENGTH + " bytes and at least one leaf");
        }
        this.baseKey = baseKey.clone();
        this.epoch = epoch;
        this.senderBits = Integer.SIZE - Integer.numberOfLeadingZeros(groupSize);
    }

    public byte[] baseKey() {
        return baseKey.clone();
    }

    public long epoch() {
        return epoch;
    }

    /** S of RFC 9605 §5.2 for this epoch's group. */
    public int senderBits() {
        return senderBits;
    }

    /**
     * The KID a sender uses in this epoch (RFC 9605 §5.2).
     *
     * @param context the sender's choice, to tell its streams apart; 0 gives the shortest header
     */
    public long keyId(LeafIndex sender, long context) {
        if (sender.value() >= 1L << senderBits) {
            throw new IllegalArgumentException(sender + " does not fit in " + senderBits + " bits");
        }
        int shift = senderBits + EPOCH_BITS;
        if (context < 0 || (context >>> (Long.SIZE - shift)) != 0) {
            throw new IllegalArgumentException("context " + context + " does not fit in " + (Long.SIZE - shift) + " bits");
        }
        return (context << shift) | ((long) sender.value() << EPOCH_BITS) | (epoch & ((1L << EPOCH_BITS) - 1));
    }

    /** The sender's key and salt for one of its KIDs. */
    public FrameKey senderKey(LeafIndex sender, long context) {
        return frameKey(keyId(sender, context));
    }

    /**
     * {@code derive_key_salt(KID, base_key)} (RFC 9605 §4.4.2): {@code sframe_secret =
     * HKDF-Extract("", base_key)}, then HKDF-Expand with the labels "SFrame 1.0 Secret key " and
     * "SFrame 1.0 Secret salt " followed by the KID (8 bytes) and the cipher suite (2 bytes), big-endian.
     * A receiver uses this with the KID of an incoming frame.
     */
    public FrameKey frameKey(long keyId) {
        return new FrameKey(keyId, expand("SFrame 1.0 Secret key ", keyId, KEY_LENGTH),
            expand("SFrame 1.0 Secret salt ", keyId, SALT_LENGTH));
    }

    private byte[] expand(String label, long keyId, int length) {
        byte[] prefix = label.getBytes(StandardCharsets.US_ASCII);
        byte[] info = ByteBuffer.allocate(prefix.length + 10).put(prefix).putLong(keyId)
            .putShort((short) CIPHER_SUITE).array();
        HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
        hkdf.init(new HKDFParameters(baseKey, new byte[0], info));
        byte[] out = new byte[length];
        hkdf.generateBytes(out, 0, length);
        return out;
    }

    /** One KID's {@code sframe_key} and {@code sframe_salt}. */
    public record FrameKey(long keyId, byte[] key, byte[] salt) {
        public FrameKey {
            key = key.clone();
            salt = salt.clone();
        }

        @Override
        public byte[] key() {
            return key.clone();
        }

        @Override
        public byte[] salt() {
            return salt.clone();
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof FrameKey that && keyId == that.keyId && Arrays.equals(key, that.key)
                && Arrays.equals(salt, that.salt);
        }

        @Override
        public int hashCode() {
            return 31 * (31 * Long.hashCode(keyId) + Arrays.hashCode(key)) + Arrays.hashCode(salt);
        }

        @Override
        public String toString() {
            return "FrameKey[kid=" + keyId + "]";
        }
    }
}
