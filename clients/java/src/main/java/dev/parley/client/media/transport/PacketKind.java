package dev.parley.client.media.transport;

/**
 * What a datagram on the client's one port is, by its first byte as RFC 7983 §7 prescribes, and
 * RTP versus RTCP by the second byte (RFC 5761 §4: RTCP packet types 192–223).
 */
public enum PacketKind {
    STUN, DTLS, RTP, RTCP, OTHER;

    public static PacketKind of(byte[] datagram, int length) {
        if (length == 0) {
            return OTHER;
        }
        int first = datagram[0] & 0xFF;
        if (first <= 3) {
            return STUN;
        }
        if (first >= 20 && first <= 63) {
            return DTLS;
        }
        if (first >= 128 && first <= 191 && length >= 2) {
            int second = datagram[1] & 0xFF;
            return second >= 192 && second <= 223 ? RTCP : RTP;
        }
        return OTHER;
    }
}
