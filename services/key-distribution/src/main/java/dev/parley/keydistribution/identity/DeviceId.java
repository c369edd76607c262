package dev.parley.keydistribution.identity;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.parley.events.Base32;

import java.security.SecureRandom;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One registered device of one person: {@code d-} and 26 base32 letters (130 random bits). A
 * device holds one MLS signature key; a person on a laptop and a phone has two devices.
 */
public record DeviceId(String value) {

    private static final Pattern FORMAT = Pattern.compile("d-[a-z2-7]{26}");

    @JsonCreator
    public DeviceId {
        Objects.requireNonNull(value, "device id");
        if (!FORMAT.matcher(value).matches()) {
            throw new IllegalArgumentException("a device id is d- and 26 base32 letters");
        }
    }

    public static boolean isWellFormed(String candidate) {
        return candidate != null && FORMAT.matcher(candidate).matches();
    }

    public static DeviceId random(SecureRandom random) {
        return new DeviceId("d-" + Base32.random(random, 26));
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
