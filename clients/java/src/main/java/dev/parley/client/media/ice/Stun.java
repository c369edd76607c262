package dev.parley.client.media.ice;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.zip.CRC32;

/**
 * The STUN wire format a Binding transaction needs (RFC 8489 §5, §14): the header, the attribute
 * types ICE uses (RFC 8445 §16.1), and the two integrity mechanisms, MESSAGE-INTEGRITY with a
 * short-term key (§9.1, §14.5) and FINGERPRINT (§14.7).
 */
final class Stun {

    static final int HEADER = 20;
    static final int MAGIC_COOKIE = 0x2112A442;
    static final int BINDING_REQUEST = 0x0001;
    static final int BINDING_SUCCESS = 0x0101;
    static final int BINDING_ERROR = 0x0111;
    static final int BINDING_INDICATION = 0x0011;

    static final int USERNAME = 0x0006;
    static final int MESSAGE_INTEGRITY = 0x0008;
    static final int XOR_MAPPED_ADDRESS = 0x0020;
    static final int PRIORITY = 0x0024;
    static final int USE_CANDIDATE = 0x0025;
    static final int FINGERPRINT = 0x8028;
    static final int ICE_CONTROLLED = 0x8029;
    static final int ICE_CONTROLLING = 0x802A;

    static final int MESSAGE_INTEGRITY_LENGTH = 20;
    private static final int FINGERPRINT_XOR = 0x5354554E;

    private Stun() {
    }

    /**
     * HMAC-SHA1 over {@code message[0, end)} with the short-term key, the password itself
     * (RFC 8489 §9.1.1; ICE passwords are ASCII ice-chars, which OpaqueString leaves unchanged).
     * The header's length field must already count up to the end of MESSAGE-INTEGRITY (§14.5).
     */
    static byte[] hmac(String password, byte[] message, int end) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(password.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            mac.update(message, 0, end);
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java runtime has HmacSHA1", e);
        }
    }

    /** CRC-32 of {@code message[0, end)} XOR 0x5354554e (RFC 8489 §14.7). */
    static int fingerprint(byte[] message, int end) {
        CRC32 crc = new CRC32();
        crc.update(message, 0, end);
        return (int) crc.getValue() ^ FINGERPRINT_XOR;
    }

    static int readShort(byte[] b, int at) {
        return ((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF);
    }

    static int readInt(byte[] b, int at) {
        return (readShort(b, at) << 16) | readShort(b, at + 2);
    }

    static void writeShort(byte[] b, int at, int value) {
        b[at] = (byte) (value >> 8);
        b[at + 1] = (byte) value;
    }

    static void writeInt(byte[] b, int at, int value) {
        writeShort(b, at, value >>> 16);
        writeShort(b, at + 2, value);
    }

    /** Attribute values are padded to a multiple of four bytes (RFC 8489 §14). */
    static int padded(int length) {
        return (length + 3) & ~3;
    }
}
