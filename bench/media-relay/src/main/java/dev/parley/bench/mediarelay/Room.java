package dev.parley.bench.mediarelay;

import dev.parley.client.media.MediaClient;
import dev.parley.client.media.MediaPlan;
import dev.parley.client.media.negotiation.Negotiator;
import dev.parley.client.media.negotiation.ParticipantSessionNegotiator;
import dev.parley.client.media.negotiation.SessionsApiNegotiator;
import dev.parley.events.call.ParticipantId;
import dev.parley.events.room.RoomId;

import java.io.IOException;
import java.net.http.HttpClient;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * One call on the relay: {@code publishers} load clients sending a microphone and a camera, and
 * {@code subscribers} that only receive, everyone receiving every publisher but itself. With the
 * participants API every client offers once to join and once more when all have joined, so each
 * receive-only slot gets a track (docs/protocol.md "Media": offer again when the room's tracks
 * differ from the last subscriptions).
 */
final class Room implements AutoCloseable {

    private final List<MediaClient> publishers = new ArrayList<>();
    private final List<MediaClient> everyone = new ArrayList<>();

    /** Joins the room's clients and starts the publishers' sources. */
    static Room open(BenchConfig config, Relay relay, Supplier<String> token, HttpClient http,
                     ScheduledExecutorService timer, SecureRandom random, AtomicInteger senderIds)
            throws IOException, InterruptedException, TimeoutException {
        Room room = new Room();
        String roomId = RoomId.random(random).value();
        List<MediaPlan> plans = new ArrayList<>();
        try {
            for (int i = 0; i < config.publishers() + config.subscribers(); i++) {
                boolean publisher = i < config.publishers();
                Negotiator negotiator = config.api().equals("participants")
                        ? new ParticipantSessionNegotiator(http, relay.url(), roomId, ParticipantId.random(random).value(), token)
                        : new SessionsApiNegotiator(http, relay.url(), roomId, token);
                MediaClient client = new MediaClient(senderIds.incrementAndGet(), negotiator, timer, random);
                room.everyone.add(client);
                MediaPlan plan = publisher ? MediaPlan.publisher(config.video(), config.publishers() - 1)
                        : MediaPlan.subscriber(config.publishers());
                plans.add(plan);
                client.negotiate(plan);
                if (publisher) {
                    room.publishers.add(client);
                }
            }
            if (config.api().equals("participants")) {
                for (int i = 0; i < room.everyone.size(); i++) {
                    room.everyone.get(i).negotiate(plans.get(i));
                }
            }
            room.publishers.forEach(MediaClient::startSending);
            return room;
        } catch (IOException | InterruptedException | TimeoutException | RuntimeException e) {
            room.close();
            throw e;
        }
    }

    List<MediaClient> clients() {
        return everyone;
    }

    List<MediaClient> publishers() {
        return publishers;
    }

    /** Stops and closes every client, each ending its session on the relay. */
    @Override
    public void close() {
        for (MediaClient client : everyone) {
            try {
                client.close();
            } catch (IOException e) {
                System.out.println("[bench] closing client " + client.senderId() + ": " + e.getMessage());
            }
        }
    }
}
