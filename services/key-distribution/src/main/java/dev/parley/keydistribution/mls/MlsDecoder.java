package dev.parley.keydistribution.mls;

import org.bouncycastle.mls.codec.MLSInputStream;
import org.bouncycastle.mls.codec.MLSMessage;
import org.bouncycastle.mls.codec.MLSOutputStream;
import org.bouncycastle.mls.codec.ProtocolVersion;
import org.bouncycastle.mls.crypto.MlsCipherSuite;

import java.io.IOException;
import java.util.Arrays;

/**
 * Reads MLS messages (RFC 9420 §6) with Bouncy Castle's codec and refuses anything that is not
 * exactly one canonical MLS 1.0 message of Parley's cipher suite.
 *
 * <p>Canonical means the bytes re-encode to themselves: trailing bytes and non-minimal encodings
 * are refused, so what this service relays is exactly what it checked. The codec reads a
 * declared length before checking it against the input, so a few forged bytes can make it ask
 * for a huge array; that {@link OutOfMemoryError} is thrown before anything is allocated and is
 * turned into a format error here, and the size limit on every request keeps honest messages far
 * below it.
 *
 * <p>bcmls keeps one instance of each cipher suite per JVM, holding one signer and one digest that
 * every operation re-initialises, so concurrent use corrupts signatures and hashes. Everything
 * here that reaches bcmls holds {@link #LOCK}, which is that shared instance (Parley's Java client
 * locks the same object).
 */
public final class MlsDecoder {

    /** MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519 (RFC 9420 §17.1). */
    public static final MlsCipherSuite SUITE = suite();
    /** Held while bcmls works: the JVM-wide suite instance itself. */
    public static final Object LOCK = SUITE;

    private MlsDecoder() {
    }

    public static MLSMessage decode(byte[] bytes) throws MlsFormatException {
        synchronized (LOCK) {
            return decodeLocked(bytes);
        }
    }

    private static MLSMessage decodeLocked(byte[] bytes) throws MlsFormatException {
        MLSMessage message;
        try {
            message = (MLSMessage) MLSInputStream.decode(bytes, MLSMessage.class);
            if (!Arrays.equals(MLSOutputStream.encode(message), bytes)) {
                throw new MlsFormatException("not one canonically encoded MLS message (trailing or extra bytes)");
            }
        } catch (IOException | RuntimeException e) {
            throw new MlsFormatException("not an MLS message: " + describe(e));
        } catch (OutOfMemoryError e) {
            throw new MlsFormatException("not an MLS message: a declared length exceeds the message");
        }
        if (message.version != ProtocolVersion.mls10) {
            throw new MlsFormatException("only MLS 1.0 is supported");
        }
        return message;
    }

    private static String describe(Exception e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private static MlsCipherSuite suite() {
        try {
            return MlsCipherSuite.getSuite(MlsCipherSuite.MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519);
        } catch (Exception e) {
            throw new IllegalStateException("Bouncy Castle lacks MLS cipher suite 1", e);
        }
    }
}
