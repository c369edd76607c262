package dev.parley.events.invite;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/** What redeeming an invite makes of its holder. */
public enum InviteRole {
    /** Someone without an account, who joins under a display name and shows as unverified. */
    GUEST,
    /** A signed-in user, who joins under their SSO identity. */
    PARTICIPANT;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static InviteRole fromWire(String wireName) {
        for (InviteRole role : values()) {
            if (role.wireName().equals(wireName)) {
                return role;
            }
        }
        throw new IllegalArgumentException("role is guest or participant");
    }
}
