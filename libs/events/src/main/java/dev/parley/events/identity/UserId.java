package dev.parley.events.identity;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Objects;

/**
 * A person's stable identifier: the {@code sub} claim of their Keycloak token for SSO users.
 * Display names change; this does not, so every record that refers to a person uses it.
 */
public record UserId(String value) {

    /** Keycloak subjects are UUIDs; other OIDC providers use opaque strings of similar size. */
    public static final int MAX_LENGTH = 255;

    @JsonCreator
    public UserId {
        Objects.requireNonNull(value, "user id");
        if (value.isBlank() || value.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("a user id has 1 to " + MAX_LENGTH + " characters");
        }
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
