package dev.parley.mediarelay.transport;

/**
 * What a datagram on the shared media port carries, told apart by its first byte as RFC 7983 §7
 * prescribes for a port that multiplexes STUN, DTLS and SRTP/SRTCP.
 */
public enum PacketKind {
    /** First byte 0–3: a STUN message (RFC 8489), here an ICE connectivity check. */
    STUN,
    /** First byte 20–63: a DTLS record (RFC 6347, RFC 9147). */
    DTLS,
    /** First byte 128–191: RTP or RTCP (RFC 3550), SRTP-protected and multiplexed (RFC 5761). */
    RTP,
    /** Anything else, including TURN ChannelData (64–79), which a relay without TURN never expects. */
    UNKNOWN;

    /** Classifies a datagram by its first byte (RFC 7983 §7). */
    public static PacketKind of(byte first) {
        int b = first & 0xFF;
        if (b <= 3) {
            return STUN;
        }
        if (b >= 20 && b <= 63) {
            return DTLS;
        }
        if (b >= 128 && b <= 191) {
            return RTP;
        }
        return UNKNOWN;
    }
}
