package dev.parley.signaling.call;

/**
 * WebSocket close codes (RFC 6455, Section 7.4.2: 4000–4999 are for applications) with which the
 * server ends a connection after telling the client why; errors have their own in {@link ErrorCode}.
 */
public final class CloseCodes {

    /** A host removed the participant ({@code removed}). */
    public static final int REMOVED = 4003;
    /** A host denied the guest in the lobby ({@code denied}). */
    public static final int DENIED = 4004;
    /** A host ended the room ({@code room-ended}). */
    public static final int ROOM_ENDED = 4005;
    /**
     * This connection no longer holds its place: the participant resumed on another connection,
     * or the place timed out while this replica was unreachable. Resume or join again.
     */
    public static final int RESUMED_ELSEWHERE = 4006;

    private CloseCodes() {
    }
}
