/**
 * What both ends of Parley's media path need of DTLS: the certificate fingerprint that SDP's
 * {@code a=fingerprint} carries (RFC 8122 §5) and each side checks the other's certificate against;
 * the DTLS-SRTP extension and key export of RFC 5764 ({@link dev.parley.media.dtls.UseSrtp}); and
 * bctls's transport over a port shared with STUN and SRTP
 * ({@link dev.parley.media.dtls.QueuedDatagramTransport}); the self-signed identity each end makes
 * ({@link dev.parley.media.dtls.DtlsIdentity}) and the DTLS-SRTP server
 * ({@link dev.parley.media.dtls.DtlsSrtpServer}), which the relay always is and the Java client is
 * when a peer answers {@code a=setup:active}. The client's DTLS client stays in its module.
 */
package dev.parley.media.dtls;
