package dev.parley.presence.device;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One of a user's devices (a browser tab, a phone): a random id the client makes once and keeps.
 */
public record DeviceId(String value) {

    private static final Pattern FORMAT = Pattern.compile("[A-Za-z0-9_-]{8,64}");

    public DeviceId {
        Objects.requireNonNull(value, "device id");
        if (!FORMAT.matcher(value).matches()) {
            throw new IllegalArgumentException("a device id has 8 to 64 characters from A-Z a-z 0-9 _ -");
        }
    }

    public static boolean isWellFormed(String candidate) {
        return candidate != null && FORMAT.matcher(candidate).matches();
    }
}
