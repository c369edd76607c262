package dev.parley.bench.mediarelay;

import dev.parley.client.media.ClientNetwork;
import dev.parley.client.media.MediaClient;
import dev.parley.client.media.MediaPlan;
import dev.parley.client.media.janus.JanusPublisher;
import dev.parley.client.media.janus.JanusRequests;
import dev.parley.client.media.janus.JanusSession;
import dev.parley.client.media.janus.JanusSubscriber;
import dev.parley.client.media.janus.JanusVideoRoom;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Janus's VideoRoom as the ramp's SFU, through its HTTP REST API. Each bench room is a VideoRoom
 * room made through an admin session of the bench's own. Publishers join and publish Opus and VP8
 * (they offer; Janus answers {@code a=setup:active}, so the client is the DTLS server); a publisher
 * receives the other publishers, as on Parley, but in a second PeerConnection, a VideoRoom
 * subscription (Janus offers, the client answers); subscribers have one subscription to every
 * publisher. The same streams are forwarded as on Parley: every publisher's audio and video to
 * every other participant.
 */
final class JanusSfu implements Sfu {

    private final URI janus;
    private final SfuProcess process;
    private final HttpClient http;
    private final ClientNetwork network;
    private final AtomicLong rooms = new AtomicLong(1000);
    private JanusSession admin;
    private long adminHandle;

    JanusSfu(URI janus, long pid, HttpClient http, ClientNetwork network) {
        this.janus = janus;
        this.process = pid > 0 ? new SfuProcess(pid) : SfuProcess.NONE;
        this.http = http;
        this.network = network;
    }

    @Override
    public String name() {
        return "janus";
    }

    @Override
    public String describe() {
        return "Janus VideoRoom at " + janus + (process.known() ? " (pid " + process.pid() + ")" : "") + ", clients on "
                + network.bindAddress().getHostAddress();
    }

    @Override
    public SfuProcess process() {
        return process;
    }

    @Override
    public synchronized Room openRoom(BenchConfig config, ScheduledExecutorService timer, SecureRandom random,
                                      AtomicInteger senderIds) throws IOException, InterruptedException, TimeoutException {
        if (admin == null) {
            admin = JanusSession.create(http, janus, timer);
            adminHandle = admin.attach(JanusRequests.VIDEOROOM);
        }
        long roomId = rooms.incrementAndGet();
        JanusVideoRoom.create(admin, adminHandle, roomId, config.publishers());
        Room room = new Room();
        room.closeAfterClients(() -> JanusVideoRoom.destroy(admin, adminHandle, roomId));
        try {
            List<Long> feeds = new ArrayList<>();
            for (int i = 0; i < config.publishers(); i++) {
                long feed = i + 1;
                feeds.add(feed);
                MediaClient publisher = room.add(new MediaClient(senderIds.incrementAndGet(),
                        new JanusPublisher(http, janus, timer, roomId, feed), timer, random, network), true);
                publisher.negotiate(new MediaPlan(true, true, config.video(), 0, 0));
            }
            for (long feed : feeds) {
                List<Long> others = feeds.stream().filter(f -> f != feed).toList();
                if (!others.isEmpty()) {
                    subscriber(room, others, roomId, timer, random, senderIds);
                }
            }
            for (int i = 0; i < config.subscribers(); i++) {
                subscriber(room, feeds, roomId, timer, random, senderIds);
            }
            room.publishers().forEach(MediaClient::startSending);
            return room;
        } catch (IOException | InterruptedException | TimeoutException | RuntimeException e) {
            room.close();
            throw e;
        }
    }

    private void subscriber(Room room, List<Long> feeds, long roomId, ScheduledExecutorService timer, SecureRandom random,
                            AtomicInteger senderIds) throws IOException, InterruptedException, TimeoutException {
        MediaClient client = room.add(new MediaClient(senderIds.incrementAndGet(),
                new JanusSubscriber(http, janus, timer, roomId, feeds), timer, random, network), false);
        client.answerOffer();
    }

    @Override
    public double forwardedPackets() {
        return Double.NaN;
    }

    @Override
    public double droppedPackets() {
        return Double.NaN;
    }

    @Override
    public double heapUsedBytes() {
        return Double.NaN;
    }

    @Override
    public synchronized void close() {
        if (admin != null) {
            try {
                admin.close();
            } catch (IOException e) {
                System.out.println("[bench] closing the Janus admin session: " + e.getMessage());
            }
        }
    }
}
