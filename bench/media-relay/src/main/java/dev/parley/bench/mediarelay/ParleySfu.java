package dev.parley.bench.mediarelay;

import dev.parley.client.media.ClientNetwork;
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
 * Parley's relay as the ramp's SFU: each client negotiates through the control API as signaling
 * does. With the participants API every client offers once to join and once more when all have
 * joined, so each receive-only slot gets a track (docs/protocol.md "Media": offer again when the
 * room's tracks differ from the last subscriptions); a publisher receives the others in its own
 * PeerConnection.
 */
final class ParleySfu implements Sfu {

    private final Relay relay;
    private final Supplier<String> token;
    private final HttpClient http;
    private final ClientNetwork network;

    ParleySfu(Relay relay, Supplier<String> token, HttpClient http, ClientNetwork network) {
        this.relay = relay;
        this.token = token;
        this.http = http;
        this.network = network;
    }

    @Override
    public String name() {
        return "parley";
    }

    @Override
    public String describe() {
        return "Parley media relay at " + relay.url() + (relay.hasProcess() ? " (pid " + relay.pid() + ")" : "")
                + ", clients on " + network.bindAddress().getHostAddress();
    }

    @Override
    public SfuProcess process() {
        return relay.hasProcess() ? relay.process() : SfuProcess.NONE;
    }

    @Override
    public Room openRoom(BenchConfig config, ScheduledExecutorService timer, SecureRandom random, AtomicInteger senderIds)
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
                MediaClient client = room.add(new MediaClient(senderIds.incrementAndGet(), negotiator, timer, random, network),
                        publisher);
                MediaPlan plan = publisher ? MediaPlan.publisher(config.video(), config.publishers() - 1)
                        : MediaPlan.subscriber(config.publishers());
                plans.add(plan);
                client.negotiate(plan);
            }
            if (config.api().equals("participants")) {
                for (int i = 0; i < room.clients().size(); i++) {
                    room.clients().get(i).negotiate(plans.get(i));
                }
            }
            room.publishers().forEach(MediaClient::startSending);
            return room;
        } catch (IOException | InterruptedException | TimeoutException | RuntimeException e) {
            room.close();
            throw e;
        }
    }

    @Override
    public double forwardedPackets() throws IOException, InterruptedException {
        return relay.forwardedPackets();
    }

    @Override
    public double droppedPackets() throws IOException, InterruptedException {
        return relay.droppedPackets();
    }

    @Override
    public DelayHistogram ownDelay() throws IOException, InterruptedException {
        return relay.histogram("parley_media_forward_delay_seconds");
    }

    @Override
    public DelayHistogram pacerDelay() throws IOException, InterruptedException {
        return relay.histogram("parley_media_pacer_delay_seconds");
    }

    @Override
    public double heapUsedBytes() throws IOException, InterruptedException {
        return relay.heapUsedBytes();
    }
}
