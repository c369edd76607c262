package dev.parley.signaling.media;

import java.net.URI;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;

/**
 * One live relay as it registers itself in Redis ({@code parley:relay:<id>},
 * {@code docs/architecture.md}, "Redis keys"): only the fields placement decides by.
 */
record Relay(String id, URI controlUrl, String region, long sessions, double stress, boolean draining) {

    /** New rooms go to the least stressed relay; fewest sessions, then the id, break ties so every replica agrees. */
    static final Comparator<Relay> LEAST_LOADED = Comparator.comparingDouble(Relay::stress)
            .thenComparingLong(Relay::sessions)
            .thenComparing(Relay::id);

    /** The relay a heartbeat hash describes, or empty when a field is missing or malformed (a relay of another version). */
    static Optional<Relay> parse(Map<String, String> hash) {
        try {
            return Optional.of(new Relay(hash.get("id"), URI.create(hash.get("controlUrl").replaceAll("/+$", "")),
                    hash.getOrDefault("region", ""), Long.parseLong(hash.get("sessions")),
                    Double.parseDouble(hash.get("stress")), Boolean.parseBoolean(hash.get("draining"))));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
