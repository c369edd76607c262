package dev.parley.keydistribution.identity;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.parley.events.identity.UserId;
import dev.parley.events.room.RoomId;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A registered device: the Ed25519 signature key it signs MLS messages with, whose it is, and
 * the credential this service issued for it. Everything here is public material.
 *
 * @param roomId       for a guest, the one room the guest identity is scoped to; absent for SSO
 * @param signatureKey the raw 32-byte Ed25519 public key, base64url
 * @param certificates the MLS X.509 credential (RFC 9420 §5.3.1): the device certificate and
 *                     the Parley CA certificate, DER, base64url
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Device(DeviceId deviceId, UserId userId, RoomId roomId, String signatureKey,
                     List<String> certificates, Instant registeredAt) {

    public Device {
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(signatureKey, "signatureKey");
        certificates = List.copyOf(certificates);
        Objects.requireNonNull(registeredAt, "registeredAt");
    }

    public boolean ownedBy(UserId user) {
        return userId.equals(user);
    }
}
