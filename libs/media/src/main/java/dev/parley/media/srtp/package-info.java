/**
 * SRTP (RFC 3711) keyed by DTLS-SRTP (RFC 5764), as both ends of Parley's media path speak it.
 *
 * <p>The media relay (the DTLS server, {@code a=setup:passive}) and the Java client (the DTLS
 * client) must choose the same protection profile, split the exporter output the same way and
 * transform packets the same way, or nothing they send each other decrypts. This package is the
 * one copy of that code both use: {@link dev.parley.media.srtp.SrtpProfile} (the {@code use_srtp}
 * profiles, RFC 5764 §4.1.2, RFC 7714 §14.2), {@link dev.parley.media.srtp.SrtpKeys} (RFC 5764
 * §4.2), {@link dev.parley.media.srtp.SrtpPacket} (the in-place buffer jitsi-srtp works on) and
 * {@link dev.parley.media.srtp.SrtpTransformer} (one jitsi-srtp context per SSRC, RFC 3711 §3.2.3);
 * {@link dev.parley.media.srtp.SrtpWarmUp} does the slow first-time work up front.
 */
package dev.parley.media.srtp;
