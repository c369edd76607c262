package dev.parley.events;

import java.security.SecureRandom;

/**
 * Random strings over the RFC 4648 base32 alphabet in lower case (Section 6): no characters that
 * look alike (0/o, 1/l), so ids can be read out and typed.
 */
public final class Base32 {

    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz234567";

    private Base32() {
    }

    /** {@code length} random letters: 5 random bits each. */
    public static String random(SecureRandom random, int length) {
        StringBuilder letters = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            letters.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return letters.toString();
    }
}
