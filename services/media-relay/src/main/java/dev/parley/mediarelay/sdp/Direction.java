package dev.parley.mediarelay.sdp;

import java.util.Locale;
import java.util.Optional;

/** The direction attribute of a media section (RFC 8866 §6.7), as the offerer sees it. */
public enum Direction {
    SENDRECV,
    SENDONLY,
    RECVONLY,
    INACTIVE;

    /** The direction named by an attribute like {@code sendrecv}, if it is one. */
    public static Optional<Direction> of(String attribute) {
        for (Direction direction : values()) {
            if (direction.attribute().equals(attribute)) {
                return Optional.of(direction);
            }
        }
        return Optional.empty();
    }

    /** Whether the offerer sends media in this section. */
    public boolean offererSends() {
        return this == SENDRECV || this == SENDONLY;
    }

    /**
     * The relay's answer (RFC 3264 §6.1): it receives what the client sends and sends nothing on
     * this section yet (subscriptions come with renegotiation), so {@code recvonly} or {@code inactive}.
     */
    public Direction answer() {
        return offererSends() ? RECVONLY : INACTIVE;
    }

    public String attribute() {
        return name().toLowerCase(Locale.ROOT);
    }
}
