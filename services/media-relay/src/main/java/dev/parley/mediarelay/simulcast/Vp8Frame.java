package dev.parley.mediarelay.simulcast;

/**
 * What the relay reads of a VP8 RTP payload (RFC 7741): the payload descriptor (§4.2) and, on the
 * first packet of a frame, the first bytes of the VP8 payload header (§4.3; RFC 6386 §9.1). Frame
 * encryption leaves exactly these bytes in clear (the SFrame clear range: 10 bytes of a keyframe),
 * so the relay can switch simulcast streams at keyframes without ever reading the picture.
 */
public final class Vp8Frame {

    private Vp8Frame() {
    }

    /**
     * The offset of the VP8 payload header after the payload descriptor starting at
     * {@code payload}, or -1 when the packet does not start a frame (S=0 or partition index
     * non-zero, §4.2) or is too short.
     */
    static int frameStart(byte[] rtp, int payload, int end) {
        if (payload >= end) {
            return -1;
        }
        int first = rtp[payload] & 0xFF;
        boolean start = (first & 0x10) != 0 && (first & 0x07) == 0;
        if (!start) {
            return -1;
        }
        int i = payload + 1;
        if ((first & 0x80) != 0) {
            if (i >= end) {
                return -1;
            }
            int extension = rtp[i++] & 0xFF;
            if ((extension & 0x80) != 0) {
                if (i >= end) {
                    return -1;
                }
                i += (rtp[i] & 0x80) != 0 ? 2 : 1;
            }
            if ((extension & 0x40) != 0) {
                i++;
            }
            if ((extension & 0x30) != 0) {
                i++;
            }
        }
        return i < end ? i : -1;
    }

    /**
     * Whether the RTP payload {@code rtp[payload, end)} is the first packet of a VP8 keyframe: a
     * frame start whose payload header has P=0 (RFC 7741 §4.3, RFC 6386 §9.1).
     */
    public static boolean isKeyframeStart(byte[] rtp, int payload, int end) {
        int header = frameStart(rtp, payload, end);
        return header >= 0 && (rtp[header] & 0x01) == 0;
    }

    /**
     * The width and height ({@code width << 16 | height}) a keyframe starting in this payload codes
     * (RFC 6386 §9.1: 3-byte frame tag, start code 9d 01 2a, then 14-bit width and height, little
     * endian), or 0 when it is not a keyframe start or the bytes are missing.
     */
    public static int keyframeSize(byte[] rtp, int payload, int end) {
        int header = frameStart(rtp, payload, end);
        if (header < 0 || (rtp[header] & 0x01) != 0 || header + 10 > end
                || (rtp[header + 3] & 0xFF) != 0x9d || (rtp[header + 4] & 0xFF) != 0x01
                || (rtp[header + 5] & 0xFF) != 0x2a) {
            return 0;
        }
        int width = ((rtp[header + 6] & 0xFF) | (rtp[header + 7] & 0xFF) << 8) & 0x3FFF;
        int height = ((rtp[header + 8] & 0xFF) | (rtp[header + 9] & 0xFF) << 8) & 0x3FFF;
        return width << 16 | height;
    }
}
