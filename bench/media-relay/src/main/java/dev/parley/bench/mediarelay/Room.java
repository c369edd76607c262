package dev.parley.bench.mediarelay;

import dev.parley.client.media.MediaClient;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * One call on an SFU: its load clients (every PeerConnection: on Janus a publisher that also
 * watches has a second, receiving one) and which of them publish. Each publisher's audio and video
 * reaches every other participant, whatever the SFU.
 */
final class Room implements AutoCloseable {

    private final List<MediaClient> publishers = new ArrayList<>();
    private final List<MediaClient> everyone = new ArrayList<>();
    private final List<AutoCloseable> afterClients = new ArrayList<>();

    /** Adds a client; it is closed with the room. */
    MediaClient add(MediaClient client, boolean publishes) {
        everyone.add(client);
        if (publishes) {
            publishers.add(client);
        }
        return client;
    }

    /** Something to close once the clients are (a Janus room). */
    void closeAfterClients(AutoCloseable resource) {
        afterClients.add(resource);
    }

    List<MediaClient> clients() {
        return everyone;
    }

    List<MediaClient> publishers() {
        return publishers;
    }

    /** Stops and closes every client, each ending its session on the SFU; then what else the room holds. */
    @Override
    public void close() {
        for (MediaClient client : everyone) {
            try {
                client.close();
            } catch (IOException e) {
                System.out.println("[bench] closing client " + client.senderId() + ": " + e.getMessage());
            }
        }
        for (AutoCloseable resource : afterClients) {
            try {
                resource.close();
            } catch (Exception e) {
                System.out.println("[bench] closing a room: " + e.getMessage());
            }
        }
    }
}
