package dev.parley.mediarelay.ice;

import java.security.SecureRandom;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One side's ICE username fragment and password (RFC 8839 §5.4): ice-chars only, a ufrag of 4 to
 * 256 characters, a password of 22 to 256.
 */
public record IceCredentials(String ufrag, String password) {

    private static final Pattern ICE_CHARS = Pattern.compile("[A-Za-z0-9+/]+");
    private static final char[] ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    public IceCredentials {
        Objects.requireNonNull(ufrag, "ufrag");
        Objects.requireNonNull(password, "password");
        if (!isValidUfrag(ufrag)) {
            throw new IllegalArgumentException("an ICE ufrag has 4 to 256 ice-chars");
        }
        if (!isValidPassword(password)) {
            throw new IllegalArgumentException("an ICE password has 22 to 256 ice-chars");
        }
    }

    public static boolean isValidUfrag(String ufrag) {
        return ufrag != null && ufrag.length() >= 4 && ufrag.length() <= 256 && ICE_CHARS.matcher(ufrag).matches();
    }

    public static boolean isValidPassword(String password) {
        return password != null && password.length() >= 22 && password.length() <= 256
                && ICE_CHARS.matcher(password).matches();
    }

    /** Fresh local credentials: 8-character ufrag (48 bits) and 24-character password (144 bits). */
    public static IceCredentials random() {
        return new IceCredentials(randomChars(8), randomChars(24));
    }

    private static String randomChars(int length) {
        char[] chars = new char[length];
        for (int i = 0; i < length; i++) {
            chars[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
        }
        return new String(chars);
    }

    @Override
    public String toString() {
        return "IceCredentials[ufrag=" + ufrag + "]";
    }
}
