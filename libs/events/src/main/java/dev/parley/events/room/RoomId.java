package dev.parley.events.room;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

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

    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz234567";
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
        StringBuilder id = new StringBuilder(14);
        for (int i = 0; i < 12; i++) {
            if (i > 0 && i % 4 == 0) {
                id.append('-');
            }
            id.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return new RoomId(id.toString());
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
