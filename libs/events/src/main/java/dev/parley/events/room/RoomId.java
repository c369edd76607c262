package dev.parley.events.room;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.parley.events.Base32;

import java.security.SecureRandom;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A room's identifier, the part of an invite link people see: three groups of four characters
 * from the RFC 4648 base32 alphabet (lower case), for example {@code k7qp-3mzd-x2ha}.
 *
 * <p>Sixty random bits make ids unguessable enough that knowing one is never what admits someone
 * (invites and the lobby do that), while staying short enough to read out on a phone call.
 */
public record RoomId(String value) {

    private static final Pattern FORMAT = Pattern.compile("[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}");

    @JsonCreator
    public RoomId {
        Objects.requireNonNull(value, "room id");
        if (!FORMAT.matcher(value).matches()) {
            throw new IllegalArgumentException("a room id looks like abcd-efgh-ijkl (base32, lower case)");
        }
    }

    /** Whether {@code candidate} is a well-formed room id; lets callers reject input without exceptions. */
    public static boolean isWellFormed(String candidate) {
        return candidate != null && FORMAT.matcher(candidate).matches();
    }

    /** A new random id. */
    public static RoomId random(SecureRandom random) {
        String letters = Base32.random(random, 12);
        return new RoomId(letters.substring(0, 4) + "-" + letters.substring(4, 8) + "-" + letters.substring(8));
    }

    @JsonValue
    @Override
    public String value() {
        return value;
    }

    @Override
    public String toString() {
        return value;
    }
}
