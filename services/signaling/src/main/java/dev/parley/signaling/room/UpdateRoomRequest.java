package dev.parley.signaling.room;

import dev.parley.events.room.RoomSettings;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * The body of {@code PATCH /api/v1/rooms/{roomId}}: only the fields present change.
 */
public record UpdateRoomRequest(
        @Size(min = 1, max = RoomSettings.MAX_NAME_LENGTH) @Pattern(regexp = ".*\\S.*", message = "must not be blank") String name,
        Boolean lobby,
        Boolean ssoOnly,
        @Min(2) @Max(RoomSettings.MAX_PARTICIPANTS) Integer maxParticipants,
        Boolean locked) {

    RoomSettings applyTo(RoomSettings current) {
        return new RoomSettings(
                name == null ? current.name() : name.strip(),
                lobby == null ? current.lobby() : lobby,
                ssoOnly == null ? current.ssoOnly() : ssoOnly,
                maxParticipants == null ? current.maxParticipants() : maxParticipants,
                locked == null ? current.locked() : locked);
    }
}
