package dev.parley.mediarelay.rtp;

/**
 * A synchronization source identifier (RFC 3550 §3, §8): the 32-bit field that names one RTP stream.
 * Held as a {@code long} in 0..2^32-1 so that JSON and logs show it unsigned, as SDP does
 * ({@code a=ssrc}, RFC 5576 §4.1).
 */
public record Ssrc(long value) {

    public Ssrc {
        if (value < 0 || value > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("an SSRC is an unsigned 32-bit number");
        }
    }

    /** The SSRC as the 32 bits on the wire. */
    public static Ssrc ofWire(int bits) {
        return new Ssrc(bits & 0xFFFF_FFFFL);
    }

    @Override
    public String toString() {
        return Long.toString(value);
    }
}
