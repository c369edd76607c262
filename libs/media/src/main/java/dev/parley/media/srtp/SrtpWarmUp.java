package dev.parley.media.srtp;

import java.security.SecureRandom;

/**
 * Does, once per process and ahead of the first call, the SRTP work whose first time is slow.
 *
 * <p>jitsi-srtp picks, per cipher transformation, the fastest of the AES implementations it can
 * load (its bundled OpenSSL binding, SunJCE, Bouncy Castle) by timing thousands of encryptions the
 * first time a context asks for it, and its first context loads and reads its configuration. That
 * costs seconds of CPU, and it would fall on whichever thread keys the first DTLS-SRTP session
 * and forwards its first packets, in the middle of a call's set-up: on a loaded machine the relay
 * then misses heartbeats and its first participants wait. A process that will carry SRTP calls
 * runs {@link #run} while it starts instead; the choices are cached for the process's life.
 */
public final class SrtpWarmUp {

    private SrtpWarmUp() {
    }

    /**
     * For every profile: derives contexts from throwaway keys, protects an RTP and an RTCP packet
     * as a client would and unprotects them as the relay does. Throws if a round trip fails, which
     * would mean no call could work either.
     */
    public static void run() {
        SecureRandom random = new SecureRandom();
        for (SrtpProfile profile : SrtpProfile.values()) {
            byte[] material = new byte[profile.keyingMaterialLength()];
            random.nextBytes(material);
            SrtpKeys keys = SrtpKeys.fromKeyingMaterial(profile, material);
            SrtpTransformer client = SrtpTransformer.forDtlsClient(keys);
            SrtpTransformer relay = SrtpTransformer.forDtlsServer(keys);
            SrtpPacket rtp = packet(new byte[] {(byte) 0x80, 96, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1}, 160);
            SrtpPacket rtcp = packet(new byte[] {(byte) 0x80, (byte) 201, 0, 1, 0, 0, 0, 1}, 0);
            if (!client.protectRtp(rtp) || !relay.unprotectRtp(rtp)
                    || !client.protectRtcp(rtcp) || !relay.unprotectRtcp(rtcp)) {
                throw new IllegalStateException("SRTP does not round-trip with " + profile);
            }
        }
    }

    /** {@code header} followed by {@code payload} zero bytes. */
    private static SrtpPacket packet(byte[] header, int payload) {
        byte[] data = new byte[header.length + payload];
        System.arraycopy(header, 0, data, 0, header.length);
        return new SrtpPacket(data, 0, data.length);
    }
}
