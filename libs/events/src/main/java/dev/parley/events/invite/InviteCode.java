package dev.parley.events.invite;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The secret part of an invite link: 128 random bits, base64url without padding (22 characters).
 * Whoever holds it may redeem the invite, so it is as strong as a session token.
 */
public record InviteCode(String value) {

    private static final Pattern FORMAT = Pattern.compile("[A-Za-z0-9_-]{22}");

    @JsonCreator
    public InviteCode {
        Objects.requireNonNull(value, "invite code");
        if (!FORMAT.matcher(value).matches()) {
            throw new IllegalArgumentException("an invite code has 22 base64url characters");
        }
    }

    public static boolean isWellFormed(String candidate) {
        return candidate != null && FORMAT.matcher(candidate).matches();
    }

    public static InviteCode random(SecureRandom random) {
        byte[] bits = new byte[16];
        random.nextBytes(bits);
        return new InviteCode(Base64.getUrlEncoder().withoutPadding().encodeToString(bits));
    }

    @JsonValue
    @Override
    public String value() {
        return value;
    }

    @Override
    public String toString() {
        // Never log a whole code: it is a bearer secret.
        return value.substring(0, 4) + "…";
    }
}
