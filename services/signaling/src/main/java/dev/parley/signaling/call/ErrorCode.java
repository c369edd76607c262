package dev.parley.signaling.call;

import java.util.Locale;

/**
 * The typed errors of the call protocol, sent as {@code {"type":"error","code":…}}. Each says
 * whether the server then closes the connection, and with which WebSocket close code (RFC 6455,
 * Section 7.4; 4000–4999 are Parley's own).
 */
public enum ErrorCode {
    /** The message is not a JSON object with a string {@code type}. */
    MALFORMED(0),
    /** The {@code type} is not one this protocol version knows. */
    UNKNOWN_TYPE(0),
    /** A field is missing or has the wrong form; {@code message} names it. */
    INVALID(0),
    /** The message is larger than the limit announced in {@code welcome}. */
    TOO_LARGE(0),
    /** The connection sends faster than the limit announced in {@code welcome}. */
    RATE_LIMITED(0),
    /** Only {@code hello} is accepted before {@code welcome}. */
    HELLO_REQUIRED(0),
    /** {@code hello} came twice. */
    ALREADY_AUTHENTICATED(0),
    /** A call message before {@code joined}. */
    NOT_JOINED(0),
    /** {@code join} or {@code resume} on a connection already in a call or a lobby. */
    ALREADY_JOINED(0),
    /** {@code join} names no room. */
    ROOM_NOT_FOUND(0),
    /** The room was ended for everyone. */
    ROOM_ENDED(0),
    /** Neither a host nor admitted by an invite. */
    NOT_ADMITTED(0),
    /** A guest token for another room. */
    WRONG_ROOM(0),
    /** A host removed (or denied) this person; only a new invite lets them back. */
    REMOVED(0),
    /** The room is locked and this person is not in the call. */
    ROOM_LOCKED(0),
    /** The call has {@code maxParticipants} already. */
    ROOM_FULL(0),
    /** A host control from someone who is not a host. */
    NOT_A_HOST(0),
    /** The participant named is not in the call. */
    PARTICIPANT_NOT_FOUND(0),
    /** {@code admit} or {@code deny} of someone not waiting in the lobby. */
    NOT_IN_LOBBY(0),
    /** The resume token is unknown, expired, or another user's. */
    RESUME_FAILED(0),
    /** No media relay can take the offer right now (unreachable, full); the client retries. */
    MEDIA_UNAVAILABLE(0),
    /** The media relay cannot answer this offer (unparseable, unsupported, a conflicting SSRC). */
    INVALID_SDP(0),
    /** Kafka or Redis is unreachable, or the room is busy; nothing changed. */
    UNAVAILABLE(0),
    /** The protocol version in {@code hello} is not supported. */
    UNSUPPORTED_VERSION(4000),
    /** The token in {@code hello} is missing, invalid or expired. */
    UNAUTHENTICATED(4001),
    /** No {@code hello} within the time limit. */
    HELLO_TIMEOUT(4002),
    /** The connection kept breaking the rate limit. */
    ABUSIVE(1008);

    private final int closeCode;

    ErrorCode(int closeCode) {
        this.closeCode = closeCode;
    }

    /** The name on the wire, e.g. {@code unknown-type}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Whether the server closes the connection after sending this error. */
    public boolean closes() {
        return closeCode != 0;
    }

    /** The WebSocket close code used when {@link #closes()}. */
    public int closeCode() {
        return closeCode;
    }
}
