package dev.parley.mediarelay.cascade;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * The SRTP master key and salt one relay protects what it sends over a link with
 * (AEAD_AES_128_GCM, RFC 7714 §14.2: 16 and 12 bytes), base64 on the wire. Each relay makes its
 * own per link and tells the other in the link request or its answer, over the authenticated
 * control API; the keys protect the hop between relays only: the payloads inside stay the
 * participants' SFrame ciphertext.
 */
public record LinkKey(@NotNull @Pattern(regexp = "[A-Za-z0-9+/]{22}==") String key,
                      @NotNull @Pattern(regexp = "[A-Za-z0-9+/]{16}") String salt) {

    static final int KEY_BYTES = 16;
    static final int SALT_BYTES = 12;

    static LinkKey random(SecureRandom random) {
        byte[] key = new byte[KEY_BYTES];
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(key);
        random.nextBytes(salt);
        return new LinkKey(Base64.getEncoder().encodeToString(key), Base64.getEncoder().encodeToString(salt));
    }

    byte[] keyBytes() {
        return Base64.getDecoder().decode(key);
    }

    byte[] saltBytes() {
        return Base64.getDecoder().decode(salt);
    }

    @Override
    public String toString() {
        return "LinkKey[redacted]";
    }
}
