package dev.parley.signaling.media;

import dev.parley.events.call.CallEvents.MediaRestartReason;
import dev.parley.events.room.RoomId;
import dev.parley.signaling.SignalingConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds rooms whose relay is lost or draining and moves them to another relay (issue 7,
 * "Failover", {@code docs/architecture.md}, "Relay failover"). A relay is lost when its
 * registration is gone or its last heartbeat is older than {@code relay-staleness}
 * ({@link RelayDirectory}); when its beat is only later than {@code relay-suspect-after} and its
 * control port refuses a connection (a dead process); or when an offer could not even connect to
 * it ({@link #lost}); it
 * drains when its registration says so, and its rooms move once {@code drain-grace} has passed
 * since this replica first saw it draining.
 *
 * <p>Every replica checks the rooms its own members are in, so several may find the same room at
 * once; the move is a compare-and-set ({@link RelayPlacement#move}) and only the replica whose
 * write moved the room gets a {@link RoomMove} back, to announce it exactly once.
 */
@ApplicationScoped
public class RelayHealth {

    /** A room this replica moved from one relay to another. */
    public record RoomMove(RoomId room, MediaRestartReason reason, String fromRelay, String toRelay) {
    }

    private static final Logger LOG = Logger.getLogger(RelayHealth.class);

    private final RelayPlacement placement;
    private final RelayDirectory directory;
    private final long drainGraceNanos;
    private final long suspectAfterMillis;
    private final int probeTimeoutMillis;
    /** When this replica first saw each draining relay draining. */
    private final Map<String, Long> drainingSince = new ConcurrentHashMap<>();
    private final Map<String, Counter> moves = new ConcurrentHashMap<>();
    private final MeterRegistry metrics;

    RelayHealth(RelayPlacement placement, RelayDirectory directory, SignalingConfig config, MeterRegistry metrics) {
        this.placement = placement;
        this.directory = directory;
        this.drainGraceNanos = config.media().drainGrace().toNanos();
        this.suspectAfterMillis = config.media().relaySuspectAfter().toMillis();
        this.probeTimeoutMillis = (int) config.media().relayProbeTimeout().toMillis();
        this.metrics = metrics;
    }

    /** Whether rooms are placed on registered relays at all; otherwise there is nothing to watch. */
    public boolean watching() {
        return placement.enabled();
    }

    /**
     * Checks the relays of {@code rooms} (one {@code MGET} and one read of the directory) and moves
     * every room whose relay is lost, or has drained longer than the grace, to another relay.
     * Answers the moves this replica made.
     */
    public List<RoomMove> check(Collection<RoomId> rooms) {
        List<RoomMove> made = new ArrayList<>();
        Map<RoomId, String> placed = placement.relaysOf(List.copyOf(rooms));
        if (placed.isEmpty()) {
            return made;
        }
        Map<String, Relay> live = directory.fresh();
        long now = System.nanoTime();
        Map<String, Boolean> answered = new HashMap<>();
        drainingSince.keySet().removeIf(id -> !live.containsKey(id) || !live.get(id).draining());
        for (Map.Entry<RoomId, String> room : placed.entrySet()) {
            Relay relay = live.get(room.getValue());
            MediaRestartReason reason;
            String detected = "watch";
            if (relay == null) {
                reason = MediaRestartReason.RELAY_LOST;
            } else if (suspect(relay) && !answered.computeIfAbsent(relay.id(), id -> probe(relay))) {
                reason = MediaRestartReason.RELAY_LOST;
                detected = "probe";
            } else if (relay.draining() && now - drainingSince.computeIfAbsent(relay.id(), id -> now) >= drainGraceNanos) {
                reason = MediaRestartReason.RELAY_DRAINING;
            } else {
                continue;
            }
            move(room.getKey(), room.getValue(), reason, live, detected).ifPresent(made::add);
        }
        return made;
    }

    /** Its last beat is late, though not yet stale. */
    private boolean suspect(Relay relay) {
        return directory.beatAge(relay.id()) > suspectAfterMillis;
    }

    /** Whether the relay's control port accepts a connection within the probe timeout. */
    private boolean probe(Relay relay) {
        URI url = relay.controlUrl();
        int port = url.getPort() > 0 ? url.getPort() : "https".equals(url.getScheme()) ? 443 : 80;
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(url.getHost(), port), probeTimeoutMillis);
            return true;
        } catch (IOException e) {
            LOG.infof("relay %s is late to beat and does not accept connections (%s): lost", relay.id(), e.toString());
            return false;
        }
    }

    /**
     * The fast path: an offer could not connect to {@code relayId}, the room's relay, at all (refused
     * or timed out). Moves the room at once rather than waiting for the heartbeat to go stale.
     */
    public Optional<RoomMove> lost(RoomId room, String relayId) {
        return move(room, relayId, MediaRestartReason.RELAY_LOST, directory.fresh(), "offer");
    }

    private Optional<RoomMove> move(RoomId room, String from, MediaRestartReason reason, Map<String, Relay> live,
                                    String detectedBy) {
        Optional<Relay> to = placement.move(room, from, live);
        if (to.isEmpty()) {
            return Optional.empty();
        }
        LOG.infof("room %s moves from relay %s to %s: %s (seen by the %s)", room.value(), from, to.get().id(),
                reason, detectedBy);
        counter(reason, detectedBy).increment();
        return Optional.of(new RoomMove(room, reason, from, to.get().id()));
    }

    private Counter counter(MediaRestartReason reason, String detectedBy) {
        String tag = reason == MediaRestartReason.RELAY_LOST ? "relay-lost" : "relay-draining";
        return moves.computeIfAbsent(tag + "/" + detectedBy, key -> Counter.builder("parley.media.room.moves")
                .description("Rooms this replica moved to another relay, by reason (relay-lost, relay-draining) "
                        + "and by what noticed it (watch: the periodic check; probe: a late beat and a refused connection; offer: an offer that could not connect)")
                .tag("reason", tag)
                .tag("detected", detectedBy)
                .register(metrics));
    }
}
