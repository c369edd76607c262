package dev.parley.client.media.sdp;

import java.util.Locale;
import java.util.Optional;

/** A section's direction attribute (RFC 8866 §6.7), from the writer's point of view. */
public enum Direction {
    SENDRECV, SENDONLY, RECVONLY, INACTIVE;

    /** {@code sendonly}, … as the attribute is written. */
    public String attribute() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The direction an attribute line names, if it names one. */
    static Optional<Direction> ofAttribute(String attribute) {
        for (Direction direction : values()) {
            if (direction.attribute().equals(attribute)) {
                return Optional.of(direction);
            }
        }
        return Optional.empty();
    }

    /** Whether the writer of the SDP sends on the section. */
    public boolean sends() {
        return this == SENDRECV || this == SENDONLY;
    }

    /** Whether the writer of the SDP receives on the section. */
    public boolean receives() {
        return this == SENDRECV || this == RECVONLY;
    }
}
