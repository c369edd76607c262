package dev.parley.signaling.conference;

import dev.parley.events.call.ParticipantId;
import dev.parley.events.room.RoomId;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

/**
 * What takes a participant's place back after a dropped connection:
 * {@code <roomId>.<participantId>.<secret>}, the secret being 32 random bytes in base64url. Only
 * the secret's SHA-256 is stored (in the place), so a Redis dump does not let anyone resume.
 */
record ResumeToken(RoomId room, ParticipantId participant, String secret) {

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    static ResumeToken issue(RoomId room, ParticipantId participant, SecureRandom random) {
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        return new ResumeToken(room, participant, ENCODER.encodeToString(secret));
    }

    static Optional<ResumeToken> parse(String token) {
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3 || !RoomId.isWellFormed(parts[0]) || !ParticipantId.isWellFormed(parts[1])
                || parts[2].length() != 43) {
            return Optional.empty();
        }
        return Optional.of(new ResumeToken(new RoomId(parts[0]), new ParticipantId(parts[1]), parts[2]));
    }

    String hash() {
        try {
            return ENCODER.encodeToString(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** Whether this token's secret is the one whose hash is {@code stored}, compared in constant time. */
    boolean matches(String stored) {
        return MessageDigest.isEqual(hash().getBytes(StandardCharsets.US_ASCII), stored.getBytes(StandardCharsets.US_ASCII));
    }

    String value() {
        return room.value() + "." + participant.value() + "." + secret;
    }
}
