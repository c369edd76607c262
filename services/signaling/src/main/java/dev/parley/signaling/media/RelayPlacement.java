package dev.parley.signaling.media;

import dev.parley.events.room.RoomId;
import dev.parley.signaling.SignalingConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.RedisDataSource;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;

import java.net.URI;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which relay carries a room ({@code docs/architecture.md}, "Media negotiation"). A room stays on
 * the relay it was placed on ({@code parley:room-relay:<roomId>}) while that relay lives, even when
 * it drains, so everyone in a call meets on one relay; a room with no live relay goes to the least
 * stressed relay that is not draining, in signaling's region if there is one. The choice is a
 * compare-and-set in Redis, so two replicas placing the same room at once agree on one relay.
 *
 * <p>When the room's relay is lost or drains, {@link RelayHealth} moves the room to another relay
 * with a second compare-and-set ({@link #move}), so exactly one replica moves it.
 *
 * <p>With no relay registered at all, or placement switched off, offers go to
 * {@code parley.signaling.media.relay-url}, the single relay of local development and of tests with a
 * stand-in relay.
 */
@ApplicationScoped
class RelayPlacement {

    /**
     * Where an offer goes. {@code relayId} is null for the configured fallback relay; {@code fresh}:
     * this offer placed the room, so another relay may still be tried if this one refuses new rooms.
     */
    record Placement(String relayId, URI controlUrl, boolean fresh) {
    }

    /** Sets the room's relay if it has none or still names {@code ARGV[2]} (a relay that is gone); answers the room's relay. */
    private static final String CLAIM = """
            local current = redis.call('GET', KEYS[1])
            if current == false or current == ARGV[2] then
              redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[3])
              return ARGV[1]
            end
            return current""";

    /**
     * Moves the room from relay {@code ARGV[2]} to {@code ARGV[1]} only if it is still on
     * {@code ARGV[2]}: of several replicas that find the room's relay lost at once, exactly one
     * moves it (answers 1); the others answer 0 and leave the move to it.
     */
    private static final String MOVE = """
            if redis.call('GET', KEYS[1]) == ARGV[2] then
              redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[3])
              return 1
            end
            return 0""";

    private final RedisDataSource redis;
    private final RelayDirectory directory;
    private final boolean enabled;
    private final URI fallback;
    private final String ttlSeconds;
    private final Comparator<Relay> preference;
    private final Map<String, Counter> outcomes;

    RelayPlacement(RedisDataSource redis, RelayDirectory directory, SignalingConfig config, MeterRegistry metrics) {
        this.redis = redis;
        this.directory = directory;
        this.enabled = config.media().placement();
        this.fallback = URI.create(config.media().relayUrl().replaceAll("/+$", ""));
        this.ttlSeconds = Long.toString(config.media().roomRelayTtl().toSeconds());
        Optional<String> region = config.media().region();
        this.preference = Comparator.comparing((Relay relay) -> region.isPresent() && !region.get().equals(relay.region()))
                .thenComparing(Relay.LEAST_LOADED);
        this.outcomes = Map.of("placed", outcome(metrics, "placed"), "kept", outcome(metrics, "kept"),
                "fallback", outcome(metrics, "fallback"), "none", outcome(metrics, "none"));
    }

    /** Whether rooms are placed on registered relays (otherwise everything goes to {@code relay-url}). */
    boolean enabled() {
        return enabled;
    }

    /**
     * The relay for the room's next offer: one Redis round trip (read the room's relay and renew
     * its expiry) when the room is already placed, two when it is placed now.
     *
     * @throws RelayRefusal (retry) when relays are registered but none takes new rooms
     */
    Placement place(RoomId room) {
        if (!enabled) {
            return count("fallback", new Placement(null, fallback, false));
        }
        Response kept = redis.execute("GETEX", roomKey(room), "EX", ttlSeconds);
        String keptId = kept == null ? null : kept.toString();
        Map<String, Relay> live = directory.live();
        if (keptId != null) {
            if (!live.containsKey(keptId)) {
                live = directory.fresh();
            }
            Relay relay = live.get(keptId);
            if (relay != null) {
                return count("kept", new Placement(relay.id(), relay.controlUrl(), false));
            }
        }
        if (live.isEmpty()) {
            return count("fallback", new Placement(null, fallback, false));
        }
        if (keptId != null) {
            // The room's relay is gone: the room moves, and everyone in it is told (media-restart), not just this offer.
            throw RelayRefusal.unreachable("the call's media relay is gone; the call moves to another one").lost(keptId);
        }
        return choose(room, live, null, null).orElseThrow(RelayPlacement::unavailable);
    }

    /**
     * Another relay for a room this offer placed on {@code refused}, which answered that it takes no
     * new rooms (it began draining or filled up since its last heartbeat); empty when there is none.
     */
    Optional<Placement> replace(RoomId room, Placement refused) {
        return choose(room, directory.live(), refused.relayId(), refused.relayId());
    }

    /** The relay each of {@code rooms} is on (one {@code MGET}); rooms without one are left out. */
    Map<RoomId, String> relaysOf(List<RoomId> rooms) {
        Map<RoomId, String> placed = new HashMap<>();
        if (!enabled || rooms.isEmpty()) {
            return placed;
        }
        Response values = redis.execute("MGET", rooms.stream().map(RelayPlacement::roomKey).toArray(String[]::new));
        for (int i = 0; i < rooms.size(); i++) {
            Response value = values.get(i);
            if (value != null) {
                placed.put(rooms.get(i), value.toString());
            }
        }
        return placed;
    }

    /**
     * Moves the room off {@code from} (lost or draining) to the best other relay of {@code live},
     * if the room is still on {@code from}. Answers the relay it moved to when this call moved it;
     * empty when another replica moved it first or no other relay takes rooms.
     */
    Optional<Relay> move(RoomId room, String from, Map<String, Relay> live) {
        Optional<Relay> best = best(live, from);
        if (best.isEmpty()) {
            count("none", null);
            return Optional.empty();
        }
        boolean moved = redis.execute("EVAL", MOVE, "1", roomKey(room), best.get().id(), from, ttlSeconds).toLong() == 1;
        return moved ? Optional.of(best.get()) : Optional.empty();
    }

    private Optional<Relay> best(Map<String, Relay> live, String excluded) {
        return live.values().stream()
                .filter(relay -> !relay.draining() && !relay.id().equals(excluded))
                .min(preference);
    }

    private Optional<Placement> choose(RoomId room, Map<String, Relay> live, String previous, String excluded) {
        Optional<Relay> best = best(live, excluded);
        if (best.isEmpty()) {
            count("none", null);
            return Optional.empty();
        }
        String winner = redis.execute("EVAL", CLAIM, "1", roomKey(room), best.get().id(),
                previous == null ? "" : previous, ttlSeconds).toString();
        if (winner.equals(best.get().id())) {
            return Optional.of(count("placed", new Placement(winner, best.get().controlUrl(), true)));
        }
        // Another replica placed the room meanwhile: join its choice.
        Relay theirs = live.containsKey(winner) ? live.get(winner) : directory.fresh().get(winner);
        if (theirs == null) {
            count("none", null);
            return Optional.empty();
        }
        return Optional.of(count("kept", new Placement(theirs.id(), theirs.controlUrl(), false)));
    }

    private Placement count(String outcome, Placement placement) {
        outcomes.get(outcome).increment();
        return placement;
    }

    private static RelayRefusal unavailable() {
        return new RelayRefusal(false, "no media relay takes new calls right now; retry");
    }

    static String roomKey(RoomId room) {
        return "parley:room-relay:" + room.value();
    }

    private static Counter outcome(MeterRegistry metrics, String outcome) {
        return Counter.builder("parley.media.placements")
                .description("Media offers by how their relay was found: placed (the room's relay chosen now), "
                        + "kept (the room's relay), fallback (no relay registered: relay-url), none (no relay takes new rooms)")
                .tag("outcome", outcome)
                .register(metrics);
    }
}
