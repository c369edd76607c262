package dev.parley.keydistribution.identity;

import java.util.Base64;
import java.util.Optional;

/** Binary values on Parley's JSON wire: base64url without padding (RFC 4648 §5). */
public final class Bytes {

    private Bytes() {
    }

    public static String encode(byte[] value) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(value);
    }

    /** The decoded bytes, or empty for anything that is not base64url (padding is tolerated). */
    public static Optional<byte[]> decode(String value) {
        if (value == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Base64.getUrlDecoder().decode(value));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
