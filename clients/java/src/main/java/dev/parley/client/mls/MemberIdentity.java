package dev.parley.client.mls;

import java.util.Objects;
import java.util.Optional;

/**
 * Who a leaf belongs to, as its certificate says: the user (a Keycloak subject, or {@code guest:...}
 * for a guest), the device, and for guests the one room their certificate is good for.
 */
public record MemberIdentity(String userId, String deviceId, Optional<String> roomId) {
    public MemberIdentity {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(roomId, "roomId");
    }
}
