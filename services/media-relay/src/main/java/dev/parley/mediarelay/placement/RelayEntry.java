package dev.parley.mediarelay.placement;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What a relay publishes about itself in its hash {@code parley:relay:<id>} (docs/media-relay.md,
 * "Registration (placement)"); signaling reads it to place rooms. Every field is a string.
 *
 * @param id         the relay's id, also the key's suffix and its member of {@code parley:relays}
 * @param controlUrl the control API's base URL: signaling negotiates a participant's session at
 *                   {@code <controlUrl>/api/v1/rooms/{room}/participants/{participant}/session}
 * @param region     where the relay runs; placement prefers relays in the participant's region
 * @param load       sessions, packets per second and CPU against their limits, and the stress
 * @param draining   whether the relay is going away: it takes no new rooms
 * @param updatedAt  when this was measured, epoch milliseconds
 * @param ttlMillis  how long the entry lives unless refreshed: signaling takes this less the key's
 *                   remaining {@code PTTL} as the age of the last beat, on Redis' clock alone
 */
record RelayEntry(RelayId id, String controlUrl, String region, RelayLoad load, boolean draining, long updatedAt,
                  long ttlMillis) {

    /** The hash's fields, in the schema's order. */
    Map<String, String> fields() {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("id", id.value());
        fields.put("controlUrl", controlUrl);
        fields.put("region", region);
        fields.put("sessions", Integer.toString(load.sessions()));
        fields.put("maxSessions", Integer.toString(load.maxSessions()));
        fields.put("packetsPerSecond", Long.toString(load.packetsPerSecond()));
        fields.put("maxPacketsPerSecond", Long.toString(load.maxPacketsPerSecond()));
        fields.put("cpu", decimal(load.cpu()));
        fields.put("stress", decimal(load.stress()));
        fields.put("draining", Boolean.toString(draining));
        fields.put("updatedAt", Long.toString(updatedAt));
        fields.put("ttlMillis", Long.toString(ttlMillis));
        return fields;
    }

    private static String decimal(double share) {
        return String.format(Locale.ROOT, "%.4f", share);
    }
}
