package dev.parley.client.media.srtp;

import org.jitsi.srtp.SrtpContextFactory;
import org.jitsi.srtp.SrtpCryptoContext;
import org.jitsi.srtp.SrtpErrorStatus;
import org.jitsi.utils.logging2.LoggerImpl;

import java.security.GeneralSecurityException;
import java.util.HashMap;
import java.util.Map;

/**
 * The client's side of a DTLS-SRTP association (the DTLS client, RFC 5764 §4.2): it protects what it
 * sends with the client write keys and unprotects what the relay sends with the server write keys,
 * through one jitsi-srtp crypto context per SSRC (RFC 3711 §3.2.3).
 *
 * <p>Protecting is serialised (the sources of one client run on shared timer threads);
 * unprotecting happens only on the client's one receive thread.
 */
public final class SrtpSession {

    private static final LoggerImpl LOG = new LoggerImpl(SrtpSession.class.getName());

    /** The most a protected RTP packet grows: the 16-byte GCM tag (the HMAC tag is 10). */
    public static final int MAX_TAG = 16;

    private final SrtpProfile profile;
    private final SrtpContextFactory sending;
    private final SrtpContextFactory receiving;
    private final Map<Integer, SrtpCryptoContext> sendContexts = new HashMap<>();
    private final Map<Integer, SrtpCryptoContext> receiveContexts = new HashMap<>();

    /** The session of the DTLS client, which writes with the client keys. */
    public SrtpSession(SrtpKeys keys) {
        profile = keys.profile();
        sending = new SrtpContextFactory(true, keys.writeKey(true), keys.writeSalt(true),
                profile.policy(), profile.policy(), LOG);
        receiving = new SrtpContextFactory(false, keys.writeKey(false), keys.writeSalt(false),
                profile.policy(), profile.policy(), LOG);
    }

    public SrtpProfile profile() {
        return profile;
    }

    /**
     * Encrypts and authenticates the RTP packet in place (RFC 3711 §3.3), growing the buffer if it
     * lacks {@link #MAX_TAG} bytes of room after the packet. {@code false} if it could not be protected.
     */
    public synchronized boolean protect(SrtpBuffer packet) {
        packet.grow(MAX_TAG); // AES-GCM writes its tag past the packet and fails silently without room
        try {
            SrtpCryptoContext context = context(sendContexts, sending, packet);
            return context.transformPacket(packet) == SrtpErrorStatus.OK;
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    /**
     * Authenticates and decrypts an SRTP packet in place (RFC 3711 §3.4); {@code false} on a bad
     * tag, a replay or junk. Call it from one thread only.
     */
    public boolean unprotect(SrtpBuffer packet) {
        try {
            SrtpCryptoContext context = context(receiveContexts, receiving, packet);
            return context.reverseTransformPacket(packet, false) == SrtpErrorStatus.OK;
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    private static SrtpCryptoContext context(Map<Integer, SrtpCryptoContext> contexts, SrtpContextFactory factory,
                                             SrtpBuffer packet) throws GeneralSecurityException {
        if (packet.getLength() < 12) {
            throw new IllegalArgumentException("shorter than an RTP header");
        }
        byte[] b = packet.getBuffer();
        int at = packet.getOffset() + 8;
        int ssrc = ((b[at] & 0xFF) << 24) | ((b[at + 1] & 0xFF) << 16) | ((b[at + 2] & 0xFF) << 8) | (b[at + 3] & 0xFF);
        SrtpCryptoContext context = contexts.get(ssrc);
        if (context == null) {
            context = factory.deriveContext(ssrc, 0);
            contexts.put(ssrc, context);
        }
        return context;
    }
}
