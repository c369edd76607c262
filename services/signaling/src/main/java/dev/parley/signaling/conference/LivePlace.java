package dev.parley.signaling.conference;

import dev.parley.events.call.CallParticipant;
import dev.parley.events.call.MediaTrack;

import java.util.List;

/**
 * A participant's place in a live call, as kept in Redis.
 *
 * @param replica         the signaling replica holding the participant's connection
 * @param resumeHash      SHA-256 of the secret part of the participant's resume token (base64url)
 * @param suspendedUntil  0 while connected; otherwise when the grace period of a dropped
 *                        connection ends (epoch milliseconds)
 * @param tracks          what the participant publishes through the media relay now
 */
record LivePlace(CallParticipant participant, String replica, String connectionId, String resumeHash,
                 long suspendedUntil, List<MediaTrack> tracks) {

    LivePlace {
        tracks = tracks == null ? List.of() : List.copyOf(tracks);
    }

    LivePlace(CallParticipant participant, String replica, String connectionId, String resumeHash, long suspendedUntil) {
        this(participant, replica, connectionId, resumeHash, suspendedUntil, List.of());
    }

    boolean suspended() {
        return suspendedUntil > 0;
    }

    LivePlace suspendedUntil(long deadline) {
        return new LivePlace(participant, replica, connectionId, resumeHash, deadline, tracks);
    }

    LivePlace withParticipant(CallParticipant changed) {
        return new LivePlace(changed, replica, connectionId, resumeHash, suspendedUntil, tracks);
    }

    LivePlace withTracks(List<MediaTrack> published) {
        return new LivePlace(participant, replica, connectionId, resumeHash, suspendedUntil, published);
    }
}
