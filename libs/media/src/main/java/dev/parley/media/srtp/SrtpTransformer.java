package dev.parley.media.srtp;

import org.jitsi.srtp.SrtcpCryptoContext;
import org.jitsi.srtp.SrtpContextFactory;
import org.jitsi.srtp.SrtpCryptoContext;
import org.jitsi.srtp.SrtpErrorStatus;
import org.jitsi.utils.logging2.LoggerImpl;

import java.security.GeneralSecurityException;

/**
 * Protects what one side of a DTLS-SRTP association sends and unprotects what it receives, with
 * jitsi-srtp contexts per SSRC (RFC 3711 §3.2.3) derived from the exporter keys (RFC 5764 §4.2).
 * The DTLS client writes with the client keys and the server with the server keys, so the relay
 * ({@link #forDtlsServer}) and a client ({@link #forDtlsClient}) built from the same
 * {@link SrtpKeys} read each other's packets and not their own.
 *
 * <p>Every transform is serialised on the instance: jitsi-srtp's contexts are not thread-safe, and
 * both ends protect from more than one thread.
 */
public final class SrtpTransformer {

    private static final LoggerImpl LOG = new LoggerImpl(SrtpTransformer.class.getName());

    /** The most a protected packet grows: a 16-byte GCM tag plus SRTCP's 4-byte E-flag and index. */
    public static final int MAX_TRAILER = 20;

    private final SrtpProfile profile;
    private final SrtpContextFactory sending;
    private final SrtpContextFactory receiving;
    private final ContextsBySsrc<SrtpCryptoContext> sendRtp = new ContextsBySsrc<>();
    private final ContextsBySsrc<SrtpCryptoContext> receiveRtp = new ContextsBySsrc<>();
    private final ContextsBySsrc<SrtcpCryptoContext> sendRtcp = new ContextsBySsrc<>();
    private final ContextsBySsrc<SrtcpCryptoContext> receiveRtcp = new ContextsBySsrc<>();
    /** The packet {@link #protectRtp(byte[], int, int)} and its kin wrap a caller's buffer in, under the lock. */
    private final SrtpPacket inPlace = new SrtpPacket(new byte[0], 0, 0);

    private SrtpTransformer(SrtpKeys keys, boolean dtlsClient) {
        profile = keys.profile();
        sending = new SrtpContextFactory(true, keys.writeKey(dtlsClient), keys.writeSalt(dtlsClient),
                profile.policy(), profile.policy(), LOG);
        receiving = new SrtpContextFactory(false, keys.writeKey(!dtlsClient), keys.writeSalt(!dtlsClient),
                profile.policy(), profile.policy(), LOG);
    }

    /** The relay's side: it is always the DTLS server ({@code a=setup:passive}). */
    public static SrtpTransformer forDtlsServer(SrtpKeys keys) {
        return new SrtpTransformer(keys, false);
    }

    /** A participant's side: the Java client, the load client and the tests play it. */
    public static SrtpTransformer forDtlsClient(SrtpKeys keys) {
        return new SrtpTransformer(keys, true);
    }

    public SrtpProfile profile() {
        return profile;
    }

    /**
     * Encrypts and authenticates an RTP packet in place (RFC 3711 §3.3), growing the buffer first if
     * it lacks room for the tag; {@code false} if it cannot be protected.
     */
    public boolean protectRtp(SrtpPacket packet) {
        return transform(packet, true, true);
    }

    /**
     * Authenticates and decrypts an SRTP packet in place (RFC 3711 §3.3); {@code false} on a bad
     * tag, a replay or junk.
     */
    public boolean unprotectRtp(SrtpPacket packet) {
        return transform(packet, true, false);
    }

    /**
     * Encrypts and authenticates the RTP packet in {@code data[offset, offset + length)} in place;
     * the buffer must have {@link #MAX_TRAILER} bytes of room after it for the tag (RFC 7714 §8,
     * RFC 3711 §3.1). Returns the protected length, or -1 if it cannot be protected. The form for
     * a caller that reuses its buffer for every packet (the relay's forwarding thread): no buffer
     * is copied and no packet object made per call.
     */
    public int protectRtp(byte[] data, int offset, int length) {
        if (offset + length + MAX_TRAILER > data.length) {
            throw new IllegalArgumentException("no room for the SRTP trailer after the packet");
        }
        return transformInPlace(data, offset, length, true);
    }

    /**
     * Authenticates and decrypts the SRTP packet in {@code data[offset, offset + length)} in place
     * (RFC 3711 §3.3); returns the RTP packet's length, or -1 on a bad tag, a replay or junk.
     */
    public int unprotectRtp(byte[] data, int offset, int length) {
        return transformInPlace(data, offset, length, false);
    }

    /** Encrypts and authenticates an RTCP packet in place, appending the E-flag, index and tag (RFC 3711 §3.4). */
    public boolean protectRtcp(SrtpPacket packet) {
        return transform(packet, false, true);
    }

    /** Authenticates and decrypts an SRTCP packet in place (RFC 3711 §3.4); {@code false} on a bad tag, replay or junk. */
    public boolean unprotectRtcp(SrtpPacket packet) {
        return transform(packet, false, false);
    }

    private synchronized int transformInPlace(byte[] data, int offset, int length, boolean protect) {
        inPlace.reset(data, offset, length);
        if (!transformLocked(inPlace, true, protect) || inPlace.getBuffer() != data) {
            return -1;
        }
        if (inPlace.getOffset() != offset) {
            System.arraycopy(data, inPlace.getOffset(), data, offset, inPlace.getLength());
        }
        return inPlace.getLength();
    }

    /**
     * Synchronized: in the relay the media thread forwards and unprotects, while receiver reports and
     * keyframe requests are protected on timer and HTTP threads; in the client the sources protect on
     * shared timer threads while the receive thread unprotects. jitsi-srtp's contexts are not
     * thread-safe.
     */
    private synchronized boolean transform(SrtpPacket packet, boolean rtp, boolean protect) {
        return transformLocked(packet, rtp, protect);
    }

    private boolean transformLocked(SrtpPacket packet, boolean rtp, boolean protect) {
        if (packet.getLength() < (rtp ? 12 : 8)) {
            return false;
        }
        int ssrc = readInt(packet, rtp ? 8 : 4);
        if (protect) {
            // AES-GCM writes its tag in place past the payload, so the room must exist beforehand.
            packet.grow(MAX_TRAILER);
        }
        try {
            SrtpErrorStatus status;
            SrtpContextFactory factory = protect ? sending : receiving;
            if (rtp) {
                ContextsBySsrc<SrtpCryptoContext> contexts = protect ? sendRtp : receiveRtp;
                SrtpCryptoContext context = contexts.get(ssrc);
                if (context == null) {
                    context = factory.deriveContext(ssrc, 0);
                    contexts.add(ssrc, context);
                }
                status = protect ? context.transformPacket(packet) : context.reverseTransformPacket(packet, false);
            } else {
                ContextsBySsrc<SrtcpCryptoContext> contexts = protect ? sendRtcp : receiveRtcp;
                SrtcpCryptoContext context = contexts.get(ssrc);
                if (context == null) {
                    context = factory.deriveControlContext(ssrc);
                    contexts.add(ssrc, context);
                }
                status = protect ? context.transformPacket(packet) : context.reverseTransformPacket(packet);
            }
            return status == SrtpErrorStatus.OK;
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    private static int readInt(SrtpPacket packet, int at) {
        byte[] b = packet.getBuffer();
        int i = packet.getOffset() + at;
        return ((b[i] & 0xFF) << 24) | ((b[i + 1] & 0xFF) << 16) | ((b[i + 2] & 0xFF) << 8) | (b[i + 3] & 0xFF);
    }
}
