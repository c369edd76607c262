package dev.parley.runtime.websocket;

import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.quarkus.websockets.next.CloseReason;

import java.util.Locale;

/**
 * How Parley's WebSocket endpoints close a connection after an error the WebSocket layer raised
 * outside a message handler, typically a frame over the size limit: 1009 for size, 1011
 * otherwise, with a short reason (RFC 6455, Section 5.5 allows at most 123 bytes). Vert.x reports
 * an oversized message as a plain {@code IllegalStateException} ("... max message size ..."),
 * Netty an oversized frame as {@link CorruptedWebSocketFrameException}; both are recognised.
 */
public final class BrokenFrames {

    private BrokenFrames() {
    }

    public static CloseReason closeReason(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            String message = String.valueOf(cause.getMessage()).toLowerCase(Locale.ROOT);
            if (cause instanceof CorruptedWebSocketFrameException corrupted && corrupted.closeStatus() != null
                    && corrupted.closeStatus().code() == 1009
                    || message.contains("max message size") || message.contains("too big")) {
                return new CloseReason(1009, "message too big");
            }
        }
        return new CloseReason(1011, "internal error");
    }
}
