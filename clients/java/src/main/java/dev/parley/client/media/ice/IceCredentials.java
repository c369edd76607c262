package dev.parley.client.media.ice;

import java.security.SecureRandom;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An ICE username fragment and password (RFC 8839 §5.4): ice-chars ({@code A-Za-z0-9+/}), at
 * least 4 and 22 of them (24 and 128 bits of randomness, RFC 8445 §5.3).
 */
public record IceCredentials(String ufrag, String password) {

    private static final String ICE_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    private static final Pattern UFRAG = Pattern.compile("[A-Za-z0-9+/]{4,256}");
    private static final Pattern PASSWORD = Pattern.compile("[A-Za-z0-9+/]{22,256}");

    public IceCredentials {
        Objects.requireNonNull(ufrag, "ufrag");
        Objects.requireNonNull(password, "password");
        if (!UFRAG.matcher(ufrag).matches() || !PASSWORD.matcher(password).matches()) {
            throw new IllegalArgumentException("ICE ufrag/password must be 4-256/22-256 ice-chars");
        }
    }

    /** Fresh credentials as browsers make them: an 8-character ufrag and a 24-character password. */
    public static IceCredentials random(SecureRandom random) {
        return new IceCredentials(chars(random, 8), chars(random, 24));
    }

    private static String chars(SecureRandom random, int n) {
        StringBuilder text = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            text.append(ICE_CHARS.charAt(random.nextInt(ICE_CHARS.length())));
        }
        return text.toString();
    }
}
