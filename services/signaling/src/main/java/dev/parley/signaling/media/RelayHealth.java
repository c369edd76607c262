package dev.parley.signaling.media;

import dev.parley.events.call.CallEvents.MediaRestartReason;
import dev.parley.events.call.ParticipantId;
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
 * <p>A cascaded room's participants on a relay that joined it ({@link ParticipantPlacement}) are
 * watched the same way: when that relay is lost or has drained longer than the grace, they alone
 * move (their placement is forgotten and they get {@code media-restart}), not the room.
 *
 * <p>Every replica checks the rooms its own members are in, so several may find the same room at
 * once; the move is a compare-and-set ({@link RelayPlacement#move}) and only the replica whose
 * write moved the room gets a {@link RoomMove} back, to announce it exactly once.
 */
@ApplicationScoped
public class RelayHealth {

    /**
     * Media this replica moved off relay {@code fromRelay}: the whole room, to its new relay
     * {@code toRelay}, when {@code participants} is empty; otherwise the participants of a cascaded
     * room that relay carried, whose next offers are placed afresh ({@code toRelay} is {@code null}).
     */
    public record RoomMove(RoomId room, MediaRestartReason reason, String fromRelay, String toRelay,
                           List<ParticipantId> participants) {
    }

    private static final Logger LOG = Logger.getLogger(RelayHealth.class);

    private final RelayPlacement placement;
    private final ParticipantPlacement participants;
    private final RelayDirectory directory;
    private final long drainGraceNanos;
    private final long suspectAfterMillis;
    private final int probeTimeoutMillis;
    /** When this replica first saw each draining relay draining. */
    private final Map<String, Long> drainingSince = new ConcurrentHashMap<>();
    private final Map<String, Counter> moves = new ConcurrentHashMap<>();
    private final MeterRegistry metrics;

    RelayHealth(RelayPlacement placement, ParticipantPlacement participants, RelayDirectory directory,
                SignalingConfig config, MeterRegistry metrics) {
        this.placement = placement;
        this.participants = participants;
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
            verdict(live.get(room.getValue()), now, answered).ifPresent(verdict ->
                    move(room.getKey(), room.getValue(), verdict.reason(), live, verdict.detectedBy()).ifPresent(made::add));
        }
        for (RoomId room : participants.cascaded(List.copyOf(placed.keySet()))) {
            participants.joined(room).forEach((relayId, carried) ->
                    verdict(live.get(relayId), now, answered).ifPresent(verdict ->
                            release(room, relayId, carried, verdict.reason(), verdict.detectedBy()).ifPresent(made::add)));
        }
        return made;
    }

    /** Why media must leave a relay, and what noticed it. */
    private record Verdict(MediaRestartReason reason, String detectedBy) {
    }

    /** Whether media must leave {@code relay} ({@code null}: not registered any more), and why. */
    private Optional<Verdict> verdict(Relay relay, long now, Map<String, Boolean> answered) {
        if (relay == null) {
            return Optional.of(new Verdict(MediaRestartReason.RELAY_LOST, "watch"));
        }
        if (suspect(relay) && !answered.computeIfAbsent(relay.id(), id -> probe(relay))) {
            return Optional.of(new Verdict(MediaRestartReason.RELAY_LOST, "probe"));
        }
        if (relay.draining() && now - drainingSince.computeIfAbsent(relay.id(), id -> now) >= drainGraceNanos) {
            return Optional.of(new Verdict(MediaRestartReason.RELAY_DRAINING, "watch"));
        }
        return Optional.empty();
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
        Optional<RoomMove> moved = move(room, relayId, MediaRestartReason.RELAY_LOST, directory.fresh(), "offer");
        if (moved.isPresent()) {
            return moved;
        }
        // Not (or no longer) the room's relay: a relay that joined the cascaded room.
        List<ParticipantId> carried = participants.joined(room).getOrDefault(relayId, List.of());
        return release(room, relayId, carried, MediaRestartReason.RELAY_LOST, "offer");
    }

    /** Forgets where {@code carried} were placed, if still on {@code relayId}; the move for those this call forgot. */
    private Optional<RoomMove> release(RoomId room, String relayId, List<ParticipantId> carried,
                                       MediaRestartReason reason, String detectedBy) {
        List<ParticipantId> released = carried.stream()
                .filter(participant -> participants.release(room, participant, relayId)).toList();
        if (released.isEmpty()) {
            return Optional.empty();
        }
        LOG.infof("%d participant(s) of room %s move off relay %s, which had joined the room: %s (seen by the %s)",
                released.size(), room.value(), relayId, reason, detectedBy);
        counter(reason, detectedBy).increment();
        return Optional.of(new RoomMove(room, reason, relayId, null, released));
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
        return Optional.of(new RoomMove(room, reason, from, to.get().id(), List.of()));
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
