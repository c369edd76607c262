package dev.parley.mediarelay.bwe;

/**
 * Writes the transport-wide sequence number (draft-holmer-rmcat-transport-wide-cc-extensions-01
 * §2: a 16-bit number in a one-byte-header extension element) into the placeholder element
 * {@code RtpRewrite} puts first in the extension block of every packet for a subscriber that
 * negotiated it, just before the packet leaves, so retransmissions and paced packets are numbered
 * in the order they are sent.
 */
final class TransportSequence {

    private TransportSequence() {
    }

    /** Numbers the packet; false when it has no placeholder for {@code extensionId} first. */
    static boolean stamp(byte[] rtp, int length, int extensionId, int sequence) {
        if (extensionId <= 0 || length < 12 || (rtp[0] & 0x10) == 0) {
            return false;
        }
        int block = 12 + 4 * (rtp[0] & 0x0F);
        if (block + 7 > length || (rtp[block] & 0xFF) != 0xBE || (rtp[block + 1] & 0xFF) != 0xDE
                || (rtp[block + 4] & 0xFF) != (extensionId << 4 | 1)) {
            return false;
        }
        rtp[block + 5] = (byte) (sequence >>> 8);
        rtp[block + 6] = (byte) sequence;
        return true;
    }
}
