package dev.parley.client.media.rtp;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Random bytes standing in for ciphertext (SFrame, RFC 9605), which looks random to the relay:
 * copied from a block filled once, at a random offset, so filling payloads costs a copy.
 */
final class Noise {

    private static final int SIZE = 4096;
    private static final byte[] BLOCK = new byte[2 * SIZE];

    static {
        ThreadLocalRandom.current().nextBytes(BLOCK);
    }

    private Noise() {
    }

    /** Fills {@code buffer[at, at + length)}; {@code length} is at most 4096. */
    static void fill(byte[] buffer, int at, int length) {
        System.arraycopy(BLOCK, ThreadLocalRandom.current().nextInt(SIZE), buffer, at, length);
    }
}
