package dev.parley.events.admission;

import dev.parley.events.identity.UserId;
import dev.parley.events.invite.InviteCode;
import dev.parley.events.room.RoomId;

import java.time.Instant;
import java.util.Objects;

/**
 * Whether one person may join one room's call, on {@link dev.parley.events.Topic#ADMISSIONS}
 * keyed by {@link #key()}: compacted, so the latest decision about each person survives restarts.
 *
 * <p>Hosts need no admission. Everyone else gets one by redeeming an invite link; a host's
 * decision in the lobby or a removal changes it.
 *
 * @param invite    the invite link that admitted them, so a removed person cannot come back with it
 * @param changedBy who made the latest change: the person redeeming, or a host
 */
public record Admission(RoomId roomId, UserId userId, AdmissionStatus status, InviteCode invite, Instant changedAt,
                        UserId changedBy) {

    public Admission {
        Objects.requireNonNull(roomId, "roomId");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(changedAt, "changedAt");
        Objects.requireNonNull(changedBy, "changedBy");
    }

    /** The record key: one admission per person per room. */
    public String key() {
        return key(roomId, userId);
    }

    public static String key(RoomId roomId, UserId userId) {
        return roomId.value() + "/" + userId.value();
    }

    public Admission changed(AdmissionStatus next, Instant at, UserId by) {
        return new Admission(roomId, userId, next, invite, at, by);
    }
}
