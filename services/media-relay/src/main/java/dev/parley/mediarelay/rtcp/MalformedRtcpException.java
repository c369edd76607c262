package dev.parley.mediarelay.rtcp;

/**
 * RTCP that breaks the packet format (RFC 3550 §6.4, RFC 4585 §6.1, RFC 5104 §4.3): the caller drops
 * the whole datagram, as RFC 3550 Appendix A.2 asks of a compound packet that fails validation.
 */
public final class MalformedRtcpException extends Exception {

    public MalformedRtcpException(String reason) {
        super(reason);
    }
}
