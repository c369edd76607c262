package dev.parley.bench.signaling;

import dev.parley.testing.DemoUser;
import dev.parley.testing.Keycloak;

import java.util.function.Supplier;

/**
 * An access token of the demo user alice (password grant on the local Keycloak), fetched again
 * well before the realm's 5-minute lifespan runs out.
 */
final class AliceToken implements Supplier<String> {

    private static final long REFRESH_NANOS = 120_000_000_000L;

    private String token;
    private long fetchedAt;

    @Override
    public synchronized String get() {
        if (token == null || System.nanoTime() - fetchedAt > REFRESH_NANOS) {
            token = Keycloak.accessToken(DemoUser.ALICE);
            fetchedAt = System.nanoTime();
        }
        return token;
    }
}
