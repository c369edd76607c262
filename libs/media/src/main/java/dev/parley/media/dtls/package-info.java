/**
 * What both ends of Parley's media path need of DTLS: the certificate fingerprint that SDP's
 * {@code a=fingerprint} carries (RFC 8122 §5) and each side checks the other's certificate against;
 * the DTLS-SRTP extension and key export of RFC 5764 ({@link dev.parley.media.dtls.UseSrtp}); and
 * bctls's transport over a port shared with STUN and SRTP
 * ({@link dev.parley.media.dtls.QueuedDatagramTransport}). The handshakes themselves differ (the
 * relay is always the DTLS server, the client always the DTLS client) and stay in their modules.
 */
package dev.parley.media.dtls;
