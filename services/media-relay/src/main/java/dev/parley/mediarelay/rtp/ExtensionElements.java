package dev.parley.mediarelay.rtp;

/**
 * The elements of an RTP header extension block in RFC 8285's one-byte (§4.2, profile
 * {@code 0xBEDE}) or two-byte (§4.3, profile {@code 0x100X}) form: the one reading of the block that
 * both finding an element ({@link RtpHeader#extensionByte}) and rewriting them ({@link RtpRewrite})
 * rely on. Padding bytes (id 0) are skipped; a one-byte id of 15 ends the block (§4.2).
 */
final class ExtensionElements {

    static final int ONE_BYTE_PROFILE = 0xBEDE;
    private static final int TWO_BYTE_PROFILE_MASK = 0xFFF0;
    private static final int TWO_BYTE_PROFILE = 0x1000;

    /** Takes one element: its id, and where its data starts and how long it is; false stops the walk. */
    @FunctionalInterface
    interface Visitor {
        boolean element(int id, int start, int size);
    }

    private ExtensionElements() {
    }

    /** Whether {@code profile} is one of RFC 8285's two forms (others are RFC 3550 §5.3.1 extensions). */
    static boolean known(int profile) {
        return profile == ONE_BYTE_PROFILE || (profile & TWO_BYTE_PROFILE_MASK) == TWO_BYTE_PROFILE;
    }

    /**
     * Visits the elements in {@code data[from, to)} of a block of a {@link #known} profile; false
     * when an element runs past the block's end.
     */
    static boolean forEach(byte[] data, int from, int to, int profile, Visitor visitor) {
        boolean oneByte = profile == ONE_BYTE_PROFILE;
        int i = from;
        while (i < to) {
            int id = oneByte ? (data[i] & 0xF0) >>> 4 : data[i] & 0xFF;
            if (id == 0) {
                i++;
                continue;
            }
            if (oneByte && id == 15) {
                return true;
            }
            if (!oneByte && i + 1 >= to) {
                return false;
            }
            int size = oneByte ? (data[i] & 0x0F) + 1 : data[i + 1] & 0xFF;
            int start = i + (oneByte ? 1 : 2);
            if (start + size > to) {
                return false;
            }
            if (!visitor.element(id, start, size)) {
                return true;
            }
            i = start + size;
        }
        return true;
    }
}
