package dev.parley.signaling.room;

import dev.parley.events.room.RoomSettings;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/**
 * The body of {@code POST /api/v1/rooms}. Omitted flags are {@code false}; an omitted
 * {@code maxParticipants} takes the configured default.
 */
public record CreateRoomRequest(
        @NotBlank @Size(max = RoomSettings.MAX_NAME_LENGTH) String name,
        Boolean lobby,
        Boolean ssoOnly,
        @Min(2) @Max(RoomSettings.MAX_PARTICIPANTS) Integer maxParticipants,
        Boolean locked) {

    RoomSettings toSettings(int defaultMaxParticipants) {
        return new RoomSettings(name.strip(), isTrue(lobby), isTrue(ssoOnly),
                maxParticipants == null ? defaultMaxParticipants : maxParticipants, isTrue(locked));
    }

    private static boolean isTrue(Boolean flag) {
        return Boolean.TRUE.equals(flag);
    }
}
