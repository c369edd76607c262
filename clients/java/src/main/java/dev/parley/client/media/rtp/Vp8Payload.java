package dev.parley.client.media.rtp;

/**
 * The clear part of a VP8 RTP payload: the payload descriptor (RFC 7741 §4.2), and on a frame's
 * first packet the start of the frame, the VP8 payload header (§4.3, RFC 6386 §9.1) that a
 * receiving browser parses and SFrame therefore leaves in clear (10 bytes for a key frame, 3 for
 * an interframe). Synthetic frames are 640x480 and claim a first partition of zero bytes.
 */
public final class Vp8Payload {

    private static final int START_OF_PARTITION = 0x10;
    private static final int EXTENDED = 0x80;

    private Vp8Payload() {
    }

    /**
     * Writes a one-byte descriptor (no extensions, partition 0, S set on the first packet of a
     * frame) and on the first packet the payload header; returns where the opaque bytes start.
     */
    public static int write(byte[] buffer, int at, boolean firstOfFrame, boolean keyFrame) {
        buffer[at++] = (byte) (firstOfFrame ? START_OF_PARTITION : 0);
        if (!firstOfFrame) {
            return at;
        }
        // size0 = 0, show_frame = 1, version 0, P = 0 for a key frame (RFC 6386 §9.1)
        buffer[at++] = (byte) (0x10 | (keyFrame ? 0 : 1));
        buffer[at++] = 0;
        buffer[at++] = 0;
        if (keyFrame) {
            buffer[at++] = (byte) 0x9D; // start code (RFC 6386 §9.1)
            buffer[at++] = 0x01;
            buffer[at++] = 0x2A;
            buffer[at++] = (byte) 0x80; // width 640, little-endian, no scaling
            buffer[at++] = 0x02;
            buffer[at++] = (byte) 0xE0; // height 480
            buffer[at++] = 0x01;
        }
        return at;
    }

    /** How many bytes {@link #write} writes. */
    public static int length(boolean firstOfFrame, boolean keyFrame) {
        return 1 + (firstOfFrame ? (keyFrame ? 10 : 3) : 0);
    }

    /**
     * Where the opaque bytes of a received VP8 payload start: past the descriptor with its
     * optional extension fields (§4.2) and, at the start of partition 0, the payload header;
     * -1 if the payload is too short.
     */
    public static int opaqueStart(byte[] p, int at, int end) {
        if (at >= end) {
            return -1;
        }
        int first = p[at++] & 0xFF;
        if ((first & EXTENDED) != 0) {
            if (at >= end) {
                return -1;
            }
            int x = p[at++] & 0xFF;
            if ((x & 0x80) != 0) { // I: PictureID, 7 or 15 bits (M bit)
                at += at < end && (p[at] & 0x80) != 0 ? 2 : 1;
            }
            if ((x & 0x40) != 0) { // L: TL0PICIDX
                at++;
            }
            if ((x & 0x30) != 0) { // T or K: TID/Y/KEYIDX
                at++;
            }
        }
        boolean startOfFrame = (first & START_OF_PARTITION) != 0 && (first & 0x07) == 0;
        if (startOfFrame) {
            if (at >= end) {
                return -1;
            }
            at += (p[at] & 0x01) == 0 ? 10 : 3;
        }
        return at <= end ? at : -1;
    }
}
