package dev.parley.presence.device;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/**
 * What a device says about its user. A user's status is the strongest of their devices':
 * {@code busy} (do not disturb) over {@code online} over {@code away}; with no device left the
 * user is {@code offline}.
 */
public enum Status {
    OFFLINE, AWAY, ONLINE, BUSY;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Reads a status a device may report; {@code offline} is not one (a device leaves instead). */
    @JsonCreator
    public static Status reported(String wireName) {
        for (Status status : values()) {
            if (status != OFFLINE && status.wireName().equals(wireName)) {
                return status;
            }
        }
        throw new IllegalArgumentException("status is one of online, away, busy");
    }
}
