/**
 * What both ends of Parley's media path need of DTLS besides the handshake itself: the
 * certificate fingerprint that SDP's {@code a=fingerprint} carries (RFC 8122 §5) and each side
 * checks the other's certificate against. The handshakes differ (the relay is always the DTLS
 * server, the client always the DTLS client) and stay in their modules.
 */
package dev.parley.media.dtls;
