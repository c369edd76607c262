package dev.parley.events.call;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.parley.events.Base32;

import java.security.SecureRandom;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One place in one call: {@code p-} and 26 base32 letters (130 random bits). A user on two
 * devices holds two places; a place survives reconnects within the resume grace period.
 */
public record ParticipantId(String value) {

    private static final Pattern FORMAT = Pattern.compile("p-[a-z2-7]{26}");

    @JsonCreator
    public ParticipantId {
        Objects.requireNonNull(value, "participant id");
        if (!FORMAT.matcher(value).matches()) {
            throw new IllegalArgumentException("a participant id is p- and 26 base32 letters");
        }
    }

    public static boolean isWellFormed(String candidate) {
        return candidate != null && FORMAT.matcher(candidate).matches();
    }

    public static ParticipantId random(SecureRandom random) {
        return new ParticipantId("p-" + Base32.random(random, 26));
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
