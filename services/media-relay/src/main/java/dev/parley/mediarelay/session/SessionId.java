package dev.parley.mediarelay.session;

import java.util.Objects;
import java.util.UUID;

/** Identifies one participant's transport on this relay: one ICE/DTLS association (BUNDLE, rtcp-mux). */
public record SessionId(UUID value) {

    public SessionId {
        Objects.requireNonNull(value, "value");
    }

    public static SessionId random() {
        return new SessionId(UUID.randomUUID());
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
