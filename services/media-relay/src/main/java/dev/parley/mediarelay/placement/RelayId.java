package dev.parley.mediarelay.placement;

import java.security.SecureRandom;
import java.util.Optional;

/**
 * The name this relay registers under ({@code parley:relay:<id>}): the configured
 * {@code parley.media-relay.relay-id} (in Kubernetes, the pod name), or else {@code relay-} and ten
 * random base32 letters, made once per process.
 */
public record RelayId(String value) {

    private static final String BASE32 = "abcdefghijklmnopqrstuvwxyz234567";
    private static final SecureRandom RANDOM = new SecureRandom();

    public RelayId {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("a relay id must not be blank");
        }
    }

    /** The configured id, or a random one. */
    static RelayId configuredOr(Optional<String> configured) {
        return configured.map(RelayId::new).orElseGet(RelayId::random);
    }

    private static RelayId random() {
        StringBuilder id = new StringBuilder("relay-");
        for (int i = 0; i < 10; i++) {
            id.append(BASE32.charAt(RANDOM.nextInt(BASE32.length())));
        }
        return new RelayId(id.toString());
    }

    @Override
    public String toString() {
        return value;
    }
}
