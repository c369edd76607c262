package dev.parley.client.media.janus;

import java.io.IOException;

/**
 * The VideoRoom rooms of a load run, made and removed through one session of their own
 * ({@code create} and {@code destroy} are synchronous requests: answered in the POST's response).
 */
public final class JanusVideoRoom {

    private JanusVideoRoom() {
    }

    /** Creates room {@code room} for {@code publishers} publishers (see {@link JanusRequests#createRoom}). */
    public static void create(JanusSession admin, long handle, long room, int publishers) throws IOException, InterruptedException {
        JanusReply created = admin.request(handle, JanusRequests.createRoom(room, publishers));
        if (!created.videoroom().equals("created")) {
            throw new IOException("Janus did not create room " + room + ": " + created.pluginData());
        }
    }

    /** Destroys room {@code room}; its participants are kicked. */
    public static void destroy(JanusSession admin, long handle, long room) throws IOException, InterruptedException {
        JanusReply destroyed = admin.request(handle, JanusRequests.destroyRoom(room));
        if (!destroyed.videoroom().equals("destroyed")) {
            throw new IOException("Janus did not destroy room " + room + ": " + destroyed.pluginData());
        }
    }
}
