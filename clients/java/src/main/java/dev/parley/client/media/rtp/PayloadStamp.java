package dev.parley.client.media.rtp;

import java.util.Optional;

/**
 * What a load client writes at the start of each payload's opaque part, where a real client's
 * SFrame ciphertext would begin: a magic number, the sender's id, a per-stream packet counter
 * (no 16-bit wrap, unlike the RTP sequence number) and the sender's {@code System.nanoTime()}.
 * Receivers in the same JVM (one clock) read loss and one-way latency from it.
 */
public record PayloadStamp(int senderId, int counter, long sentNanos) {

    public static final int LENGTH = 20;
    private static final int MAGIC = 0x50524C59; // "PRLY"

    public void write(byte[] buffer, int at) {
        writeInt(buffer, at, MAGIC);
        writeInt(buffer, at + 4, senderId);
        writeInt(buffer, at + 8, counter);
        writeInt(buffer, at + 12, (int) (sentNanos >>> 32));
        writeInt(buffer, at + 16, (int) sentNanos);
    }

    /** The stamp at {@code buffer[at]}, if there is one before {@code end}. */
    public static Optional<PayloadStamp> read(byte[] buffer, int at, int end) {
        if (at < 0 || end - at < LENGTH || readInt(buffer, at) != MAGIC) {
            return Optional.empty();
        }
        long sent = ((long) readInt(buffer, at + 12) << 32) | (readInt(buffer, at + 16) & 0xFFFFFFFFL);
        return Optional.of(new PayloadStamp(readInt(buffer, at + 4), readInt(buffer, at + 8), sent));
    }

    private static void writeInt(byte[] b, int at, int value) {
        b[at] = (byte) (value >> 24);
        b[at + 1] = (byte) (value >> 16);
        b[at + 2] = (byte) (value >> 8);
        b[at + 3] = (byte) value;
    }

    private static int readInt(byte[] b, int at) {
        return ((b[at] & 0xFF) << 24) | ((b[at + 1] & 0xFF) << 16) | ((b[at + 2] & 0xFF) << 8) | (b[at + 3] & 0xFF);
    }
}
