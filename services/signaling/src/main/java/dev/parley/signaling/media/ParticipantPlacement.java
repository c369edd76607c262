package dev.parley.signaling.media;

import dev.parley.events.call.ParticipantId;
import dev.parley.events.room.RoomId;
import dev.parley.signaling.SignalingConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.hash.HashCommands;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which relay a participant's media goes to, for rooms that span several relays
 * ({@code docs/architecture.md}, "Media negotiation", cascading). The room's home relay comes from
 * {@link RelayPlacement}; each participant stays where it was first placed
 * ({@code parley:room-participant-relay:<roomId>}, participant id → {@code @home} or a relay id,
 * expiring like the room's relay key): on the room's relay, wherever failover moves it, or on the
 * relay that joined the room for it while that relay lives and does not drain. A new one is placed by {@link CascadeChoice} from its region and the
 * relays' load. The room's relays are the home relay and those its participants were placed on;
 * the session request names the others as {@code peers}, which the chosen relay links with.
 */
@ApplicationScoped
class ParticipantPlacement {

    /** What the participant hash holds for a participant on the room's relay, wherever that is now. */
    static final String HOME = "@home";

    /**
     * Forgets a participant's relay only if it is still the one given (a compare-and-delete), so
     * that of several replicas finding the same lost relay exactly one announces the move.
     */
    private static final String RELEASE = "if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then "
            + "return redis.call('HDEL', KEYS[1], ARGV[1]) end return 0";

    /** The relays a session request names at most as peers (the relay's own limit). */
    static final int MAX_PEERS = 16;

    /** Where an offer goes and the room's other live relays, least loaded first. */
    record Placed(RelayPlacement.Placement relay, List<Relay> peers) {
    }

    private final RelayPlacement placement;
    private final RelayDirectory directory;
    private final HashCommands<String, String, String> hashes;
    private final RedisDataSource redis;
    private final boolean enabled;
    private final double maxStress;
    private final long ttlSeconds;
    private final Map<String, Counter> outcomes = new LinkedHashMap<>();

    ParticipantPlacement(RelayPlacement placement, RelayDirectory directory, RedisDataSource redis,
                         SignalingConfig config, MeterRegistry metrics) {
        this.placement = placement;
        this.directory = directory;
        this.redis = redis;
        this.hashes = redis.hash(String.class);
        this.enabled = config.media().cascade();
        this.maxStress = config.media().cascadeStress();
        this.ttlSeconds = config.media().roomRelayTtl().toSeconds();
        for (String outcome : List.of("kept", "home", "room", "joined")) {
            outcomes.put(outcome, Counter.builder("parley.media.cascade.placements").tag("outcome", outcome)
                    .description("Participants' offers by where they went: kept (the participant's relay), home "
                            + "(the room's relay), room (another relay of the room), joined (a relay that joined the room)")
                    .register(metrics));
        }
    }

    /**
     * The relay for {@code participant}'s offer, stating {@code region} (empty: none), and the
     * room's other relays.
     *
     * @throws RelayRefusal (retry) when relays are registered but none takes new rooms
     */
    Placed place(RoomId room, ParticipantId participant, Optional<String> region) {
        RelayPlacement.Placement home = placement.place(room);
        if (!enabled || home.relayId() == null) {
            return new Placed(home, List.of());
        }
        Map<String, Relay> live = directory.live();
        Relay homeRelay = live.containsKey(home.relayId()) ? live.get(home.relayId())
                : directory.fresh().get(home.relayId());
        if (homeRelay == null) {
            return new Placed(home, List.of());
        }
        String key = key(room);
        Map<String, String> placed = hashes.hgetall(key);
        Map<String, Relay> roomRelays = new LinkedHashMap<>();
        roomRelays.put(homeRelay.id(), homeRelay);
        placed.values().stream().filter(live::containsKey).forEach(id -> roomRelays.put(id, live.get(id)));

        Relay chosen;
        String outcome;
        String kept = placed.get(participant.value());
        if (HOME.equals(kept)) {
            // Placed on the room's relay: it follows the room when signaling moves it (failover).
            chosen = homeRelay;
            outcome = "kept";
        } else if (kept != null && roomRelays.containsKey(kept)) {
            // A relay that joined the room for it, while that relay lives; a draining one keeps it
            // until the drain grace moves it (RelayHealth), with a media-restart.
            chosen = roomRelays.get(kept);
            outcome = "kept";
        } else if (kept != null) {
            // Its relay is gone, but its client still offers on the connection it had with it: the
            // participant is moved with a media-restart (a new peer connection for the new relay's
            // certificate), never quietly re-placed under an old connection.
            throw RelayRefusal.unreachable("the media relay of this participant is gone; a media-restart follows")
                    .lost(kept);
        } else {
            CascadeChoice.Choice choice = CascadeChoice.choose(homeRelay, roomRelays.values(), live.values(), region,
                    maxStress);
            chosen = choice.relay();
            boolean onHome = chosen.id().equals(homeRelay.id());
            outcome = choice.joins() ? "joined" : onHome ? "home" : "room";
            hashes.hset(key, participant.value(), onHome ? HOME : chosen.id());
            if (!onHome) {
                redis.value(String.class).setex(cascadedKey(room), ttlSeconds, "1");
            }
        }
        redis.key(String.class).expire(key, ttlSeconds);
        outcomes.get(outcome).increment();

        List<Relay> peers = new ArrayList<>(roomRelays.values());
        peers.removeIf(relay -> relay.id().equals(chosen.id()));
        peers.sort(Relay.LEAST_LOADED);
        RelayPlacement.Placement where = chosen.id().equals(home.relayId()) ? home
                : new RelayPlacement.Placement(chosen.id(), chosen.controlUrl(), false);
        return new Placed(where, List.copyOf(peers.subList(0, Math.min(MAX_PEERS, peers.size()))));
    }

    /**
     * Of {@code rooms}, those that some participant was ever placed in on a relay that joined
     * them (one {@code MGET}): only those have participants a relay other than the room's carries.
     */
    List<RoomId> cascaded(List<RoomId> rooms) {
        List<RoomId> cascaded = new ArrayList<>();
        if (!enabled || rooms.isEmpty()) {
            return cascaded;
        }
        Response marks = redis.execute("MGET", rooms.stream().map(ParticipantPlacement::cascadedKey).toArray(String[]::new));
        for (int i = 0; i < rooms.size(); i++) {
            if (marks.get(i) != null) {
                cascaded.add(rooms.get(i));
            }
        }
        return cascaded;
    }

    /** The participants of {@code room} on relays that joined it (not the room's relay), by relay id. */
    Map<String, List<ParticipantId>> joined(RoomId room) {
        Map<String, List<ParticipantId>> byRelay = new LinkedHashMap<>();
        hashes.hgetall(key(room)).forEach((participant, relay) -> {
            if (!HOME.equals(relay) && ParticipantId.isWellFormed(participant)) {
                byRelay.computeIfAbsent(relay, id -> new ArrayList<>()).add(new ParticipantId(participant));
            }
        });
        return byRelay;
    }

    /**
     * Forgets that {@code participant} is on {@code relayId}, if it still is: its next offer is
     * placed afresh. Whether this call forgot it (exactly one of several replicas does).
     */
    boolean release(RoomId room, ParticipantId participant, String relayId) {
        return redis.execute("EVAL", RELEASE, "1", key(room), participant.value(), relayId).toLong() == 1;
    }

    static String cascadedKey(RoomId room) {
        return "parley:room-cascaded:" + room.value();
    }

    static String key(RoomId room) {
        return "parley:room-participant-relay:" + room.value();
    }
}
