package dev.parley.client.media.rtp;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Writes the headers of one outgoing RTP stream (RFC 3550 §5.1): version 2, its payload type and
 * SSRC, sequence numbers from a random start (§5.1) that wrap at 16 bits, and one-byte header
 * extensions (RFC 8285 §4.2): the section's mid (RFC 8843 §15.2) and, for audio, the audio level
 * (RFC 6464 §3). Not thread-safe: one source writes one stream.
 */
public final class RtpWriter {

    /** The fixed header (RFC 3550 §5.1). */
    public static final int FIXED_HEADER = 12;
    private static final int ONE_BYTE_PROFILE = 0xBEDE;

    private final long ssrc;
    private final int payloadType;
    private final Optional<MidExtension> mid;
    private final OptionalInt audioLevelId;
    private int sequence;

    /** The mid extension's id and value as the answer agreed it. */
    public record MidExtension(int id, String mid) {
        public MidExtension {
            if (id < 1 || id > 14 || mid.isEmpty() || mid.length() > 16) {
                throw new IllegalArgumentException("a one-byte extension has id 1-14 and 1-16 bytes (RFC 8285 §4.2)");
            }
        }
    }

    public RtpWriter(long ssrc, int payloadType, int firstSequence, Optional<MidExtension> mid,
                     OptionalInt audioLevelId) {
        this.ssrc = ssrc;
        this.payloadType = payloadType;
        this.sequence = firstSequence & 0xFFFF;
        this.mid = mid;
        this.audioLevelId = audioLevelId;
    }

    public long ssrc() {
        return ssrc;
    }

    /**
     * Writes the next packet's header at the start of {@code buffer} with the next sequence
     * number; {@code audioLevel} is RFC 6464's byte (V bit, then −dBov 0–127), written only if
     * the stream has that extension. Returns where the payload starts.
     */
    public int writeHeader(byte[] buffer, boolean marker, long timestamp, int audioLevel) {
        boolean extension = mid.isPresent() || audioLevelId.isPresent();
        buffer[0] = (byte) (0x80 | (extension ? 0x10 : 0));
        buffer[1] = (byte) ((marker ? 0x80 : 0) | payloadType);
        buffer[2] = (byte) (sequence >> 8);
        buffer[3] = (byte) sequence;
        writeInt(buffer, 4, (int) timestamp);
        writeInt(buffer, 8, (int) ssrc);
        sequence = (sequence + 1) & 0xFFFF;
        if (!extension) {
            return FIXED_HEADER;
        }
        int at = FIXED_HEADER + 4;
        if (audioLevelId.isPresent()) {
            buffer[at++] = (byte) (audioLevelId.getAsInt() << 4); // L = 0: one byte of data
            buffer[at++] = (byte) audioLevel;
        }
        if (mid.isPresent()) {
            byte[] value = mid.get().mid().getBytes(StandardCharsets.US_ASCII);
            buffer[at++] = (byte) ((mid.get().id() << 4) | (value.length - 1));
            System.arraycopy(value, 0, buffer, at, value.length);
            at += value.length;
        }
        while ((at & 3) != 0) {
            buffer[at++] = 0; // padding to a 32-bit boundary (RFC 8285 §4.2)
        }
        buffer[FIXED_HEADER] = (byte) (ONE_BYTE_PROFILE >> 8);
        buffer[FIXED_HEADER + 1] = (byte) ONE_BYTE_PROFILE;
        int words = (at - FIXED_HEADER - 4) / 4;
        buffer[FIXED_HEADER + 2] = (byte) (words >> 8);
        buffer[FIXED_HEADER + 3] = (byte) words;
        return at;
    }

    private static void writeInt(byte[] b, int at, int value) {
        b[at] = (byte) (value >> 24);
        b[at + 1] = (byte) (value >> 16);
        b[at + 2] = (byte) (value >> 8);
        b[at + 3] = (byte) value;
    }
}
