package dev.parley.events.room;

import java.util.Objects;

/**
 * What a host decides about a room.
 *
 * @param name            shown to everyone in the room; 1 to {@value #MAX_NAME_LENGTH} characters
 * @param lobby           guests wait in a lobby until a host admits them
 * @param ssoOnly         only signed-in users may join; invite links cannot admit guests
 * @param maxParticipants the most people in the call at once, 2 to {@value #MAX_PARTICIPANTS}
 * @param locked          nobody new may join, whatever link they hold
 */
public record RoomSettings(String name, boolean lobby, boolean ssoOnly, int maxParticipants, boolean locked) {

    public static final int MAX_NAME_LENGTH = 120;
    /** The largest call Parley aims at (an E2EE MLS group of a thousand members). */
    public static final int MAX_PARTICIPANTS = 1000;

    public RoomSettings {
        Objects.requireNonNull(name, "name");
        if (name.isBlank() || name.length() > MAX_NAME_LENGTH) {
            throw new IllegalArgumentException("a room name has 1 to " + MAX_NAME_LENGTH + " characters");
        }
        if (maxParticipants < 2 || maxParticipants > MAX_PARTICIPANTS) {
            throw new IllegalArgumentException("maxParticipants is between 2 and " + MAX_PARTICIPANTS);
        }
    }
}
