package dev.parley.mediarelay.rtp;

/**
 * The elements of an RTP header extension block in RFC 8285's one-byte (§4.2, profile
 * {@code 0xBEDE}) or two-byte (§4.3, profile {@code 0x100X}) form: the one reading of the block that
 * both finding an element ({@link RtpHeader#extensionByte}) and rewriting them ({@link RtpRewrite})
 * rely on. Padding bytes (id 0) are skipped; a one-byte id of 15 ends the block (§4.2).
 *
 * <p>A walk is a cursor, {@link #next}, whose element is packed into a {@code long} (where its data
 * starts, its id, its size): it runs for every packet the relay forwards, and a cursor allocates
 * nothing where a visitor callback would allocate its captured state.
 */
final class ExtensionElements {

    static final int ONE_BYTE_PROFILE = 0xBEDE;
    private static final int TWO_BYTE_PROFILE_MASK = 0xFFF0;
    private static final int TWO_BYTE_PROFILE = 0x1000;

    /** {@link #next}: no more elements. */
    static final long END = -1;
    /** {@link #next}: an element runs past the block's end. */
    static final long MALFORMED = -2;

    private ExtensionElements() {
    }

    /** Whether {@code profile} is one of RFC 8285's two forms (others are RFC 3550 §5.3.1 extensions). */
    static boolean known(int profile) {
        return profile == ONE_BYTE_PROFILE || (profile & TWO_BYTE_PROFILE_MASK) == TWO_BYTE_PROFILE;
    }

    /**
     * The first element in {@code data[at, to)}, part of a block of a {@link #known} profile
     * ({@code oneByte}: the §4.2 form), or {@link #END}, or {@link #MALFORMED}. The next element
     * starts at {@link #end} of this one.
     */
    static long next(byte[] data, int at, int to, boolean oneByte) {
        int i = at;
        while (i < to) {
            int id = oneByte ? (data[i] & 0xF0) >>> 4 : data[i] & 0xFF;
            if (id == 0) {
                i++;
                continue;
            }
            if (oneByte && id == 15) {
                return END;
            }
            if (!oneByte && i + 1 >= to) {
                return MALFORMED;
            }
            int size = oneByte ? (data[i] & 0x0F) + 1 : data[i + 1] & 0xFF;
            int start = i + (oneByte ? 1 : 2);
            if (start + size > to) {
                return MALFORMED;
            }
            return (long) start << 16 | id << 8 | size;
        }
        return END;
    }

    /** The id of an element {@link #next} found. */
    static int id(long element) {
        return (int) (element >>> 8) & 0xFF;
    }

    /** Where the data of an element {@link #next} found starts. */
    static int start(long element) {
        return (int) (element >>> 16);
    }

    /** How many data bytes an element {@link #next} found has (0 to 255). */
    static int size(long element) {
        return (int) element & 0xFF;
    }

    /** Where an element {@link #next} found ends: where the walk goes on. */
    static int end(long element) {
        return start(element) + size(element);
    }
}
