package dev.parley.mediarelay.session;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The call a session belongs to, as signaling names it. RTP is forwarded only between sessions of
 * the same room on this relay.
 */
public record RoomId(String value) {

    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._~:-]{1,128}");

    public RoomId {
        Objects.requireNonNull(value, "value");
        if (!VALID.matcher(value).matches()) {
            throw new IllegalArgumentException("a room id is 1 to 128 of A-Z a-z 0-9 . _ ~ : -");
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
